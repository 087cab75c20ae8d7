namespace Mimicry.Api;

/// <summary>Settings of the HTTP API (section "Mimicry:Api"); checked when the host starts.</summary>
public sealed class ApiOptions
{
    public const string Section = "Mimicry:Api";

    /// <summary>The largest request body accepted, in bytes (a spec, an answer). Larger bodies get 413.</summary>
    public long MaxBodyBytes { get; set; } = 1024 * 1024;

    /// <summary>How many progress streams (SSE) this host keeps open at once; more get 503 with Retry-After.</summary>
    public int MaxEventStreams { get; set; } = 1000;

    /// <summary>OpenID Connect / JWT bearer sign-in for organizations; off unless an authority or a signing key is set.</summary>
    public OidcOptions Oidc { get; set; } = new();

    public IEnumerable<string> Problems()
    {
        if (MaxBodyBytes is < 1024 or > 64L * 1024 * 1024)
        {
            yield return $"{Section}:MaxBodyBytes: must be between 1024 and 67108864 (got {MaxBodyBytes})";
        }
        if (MaxEventStreams is < 1 or > 100_000)
        {
            yield return $"{Section}:MaxEventStreams: must be between 1 and 100000 (got {MaxEventStreams})";
        }
        if (Oidc.Enabled && string.IsNullOrWhiteSpace(Oidc.Audience))
        {
            yield return $"{Section}:Oidc:Audience: required when OIDC sign-in is on";
        }
        if (Oidc.SigningKey is { Length: > 0 and < 32 })
        {
            yield return $"{Section}:Oidc:SigningKey: must be at least 32 characters";
        }
    }
}

/// <summary>
/// JWT bearer tokens from an organization's identity provider. <see cref="Authority"/> finds the provider's keys by
/// OIDC discovery; <see cref="SigningKey"/> (a shared secret, for a provider without discovery) replaces it. Roles come
/// from the <see cref="RoleClaim"/> claim, the user's name from <see cref="NameClaim"/>.
/// </summary>
public sealed class OidcOptions
{
    public string? Authority { get; set; }

    public string? Issuer { get; set; }

    public string? Audience { get; set; }

    public string? SigningKey { get; set; }

    public string RoleClaim { get; set; } = "roles";

    public string NameClaim { get; set; } = "preferred_username";

    public bool Enabled => !string.IsNullOrWhiteSpace(Authority) || !string.IsNullOrWhiteSpace(SigningKey);
}

/// <summary>What kind of host serves the API, which changes a few rules (docs/security.md).</summary>
public sealed record ApiHostInfo(bool Embedded, string Location)
{
    /// <summary>Specs may name model URLs, key variables and prompt files: on the embedded host, for its admins (the local user) only.</summary>
    public bool InlineSpecs => Embedded;
}
