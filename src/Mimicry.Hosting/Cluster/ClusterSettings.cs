using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Mimicry.Hosting.Cluster;

/// <summary>
/// A cluster silo's settings, section <c>Mimicry:Cluster</c> of the config file (or <c>Mimicry__Cluster__*</c>
/// environment variables). See deploy/README.md for a commented example.
/// </summary>
public sealed class ClusterSettings
{
    public const string Section = "Mimicry:Cluster";

    /// <summary>Silos with the same cluster id and database form one cluster.</summary>
    public string ClusterId { get; set; } = "mimicry";

    public string ServiceId { get; set; } = "mimicry";

    /// <summary>The PostgreSQL connection string: notebooks, loops and membership all live there.</summary>
    public string? Database { get; set; }

    public int SiloPort { get; set; } = 11111;

    public int GatewayPort { get; set; }

    /// <summary>Where the silo serves the HTTP API (Kestrel URLs, ';'-separated). Clients reach the cluster only here.</summary>
    public string ApiUrls { get; set; } = "http://0.0.0.0:8080";

    /// <summary>The IP other silos and clients reach this silo at; default: this host's first non-loopback IPv4.</summary>
    public string? AdvertisedAddress { get; set; }

    /// <summary>Apply missing schema migrations at start; when false, a silo refuses an older schema.</summary>
    public bool MigrateOnStart { get; set; } = true;

    /// <summary><c>tuned</c> (fast failure detection, ~2 s) or <c>default</c> (Orleans' defaults, ~17 s).</summary>
    public string Membership { get; set; } = "tuned";

    /// <summary>Running in Kubernetes: ids and address come from the pod (Microsoft.Orleans.Hosting.Kubernetes).</summary>
    public bool Kubernetes { get; set; }

    /// <summary>The silo's name in the membership table; default: host name and silo port.</summary>
    public string? SiloName { get; set; }

    public TlsSettings Tls { get; set; } = new();

    /// <summary>How long reads and writes retry through a database outage before a branch sees the error.</summary>
    public TimeSpan DatabaseOutage { get; set; } = TimeSpan.FromMinutes(5);

    public IEnumerable<string> Problems()
    {
        const string p = "Mimicry:Cluster:";
        if (string.IsNullOrWhiteSpace(Database))
        {
            yield return $"{p}Database: required: the PostgreSQL connection string (e.g. Host=127.0.0.1;Username=mimicry;Password=...;Database=mimicry)";
        }
        if (string.IsNullOrWhiteSpace(ClusterId))
        {
            yield return $"{p}ClusterId: must not be empty";
        }
        if (string.IsNullOrWhiteSpace(ServiceId))
        {
            yield return $"{p}ServiceId: must not be empty";
        }
        if (SiloPort is < 1 or > 65535)
        {
            yield return $"{p}SiloPort: must be a TCP port between 1 and 65535 (got {SiloPort})";
        }
        if (GatewayPort is < 0 or > 65535)
        {
            yield return $"{p}GatewayPort: must be 0 (no Orleans gateway: clients use the HTTP API) or a TCP port up to 65535 (got {GatewayPort})";
        }
        foreach (var url in (ApiUrls ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (!Uri.TryCreate(url, UriKind.Absolute, out var u) || u.Scheme is not ("http" or "https"))
            {
                yield return $"{p}ApiUrls: '{url}' is not an http:// or https:// URL";
            }
        }
        if (string.IsNullOrWhiteSpace(ApiUrls))
        {
            yield return $"{p}ApiUrls: required: where the silo serves the HTTP API (e.g. http://0.0.0.0:8080)";
        }
        if (SiloPort == GatewayPort)
        {
            yield return $"{p}GatewayPort: must differ from SiloPort (both are {SiloPort})";
        }
        if (AdvertisedAddress is { Length: > 0 } a && !IPAddress.TryParse(a, out _))
        {
            yield return $"{p}AdvertisedAddress: must be an IP address (got '{a}')";
        }
        if (Membership is not ("tuned" or "default"))
        {
            yield return $"{p}Membership: must be 'tuned' or 'default' (got '{Membership}')";
        }
        if (DatabaseOutage < TimeSpan.FromSeconds(1) || DatabaseOutage > TimeSpan.FromDays(1))
        {
            yield return $"{p}DatabaseOutage: must be between 00:00:01 and 1.00:00:00 (got {DatabaseOutage})";
        }
        if (Tls.Problem() is { } tls)
        {
            yield return $"{p}Tls:{tls}";
        }
    }
}

/// <summary>Optional TLS between silos and clients: a PFX holding this node's certificate and key.</summary>
public sealed class TlsSettings
{
    public string? Certificate { get; set; }

    public string? CertificatePassword { get; set; }

    public bool Enabled => !string.IsNullOrWhiteSpace(Certificate);

    /// <summary>Loads the certificate; null when TLS is off.</summary>
    public X509Certificate2? Load() => Enabled ? X509CertificateLoader.LoadPkcs12FromFile(Certificate!, CertificatePassword) : null;

    public string? Problem()
    {
        if (!Enabled)
        {
            return null;
        }
        if (!File.Exists(Certificate))
        {
            return $"Certificate: no such file: {Certificate}";
        }
        try
        {
            using var cert = Load()!;
            return cert.HasPrivateKey ? null : $"Certificate: {Certificate} holds no private key";
        }
        catch (CryptographicException ex)
        {
            return $"Certificate: cannot read {Certificate}: {ex.Message.TrimEnd('.')} (wrong CertificatePassword?)";
        }
    }
}

/// <summary>The cluster could not be joined or reached; the message is one plain sentence.</summary>
public sealed class ClusterException(string message, Exception? inner = null) : Exception(message, inner);
