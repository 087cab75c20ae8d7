using Mimicry.Spec;

namespace Mimicry.SpecReading;

/// <summary>
/// A model backend an operator configured on the silos (section <c>Mimicry:Backends:NAME</c>): where it is, where its
/// key is (a variable or a file on the silo; never in a spec), which models specs may ask for, its quotas and prices.
/// </summary>
public sealed record ModelBackend(
    string Name, string BaseUrl, string? ApiKeyVariable, string? ApiKeyFile, IReadOnlyList<string> Models, RateLimitSpec Limits, PriceSpec Prices)
{
    /// <summary>The API key, read on the silo when a client is made; null when the backend needs none.</summary>
    public string? ReadKey()
    {
        if (ApiKeyVariable is { Length: > 0 } v)
        {
            return Environment.GetEnvironmentVariable(v);
        }
        return ApiKeyFile is { Length: > 0 } f && File.Exists(f) ? File.ReadAllText(f).Trim() : null;
    }
}

/// <summary>The backends configured on this silo, by name (empty when none are).</summary>
public sealed record ModelBackends(IReadOnlyDictionary<string, ModelBackend> All)
{
    public static ModelBackends None { get; } = new(new Dictionary<string, ModelBackend>());
}
