using System.CommandLine;
using Mimicry.Hosting.Cluster;

namespace Mimicry.Cli.Commands;

/// <summary>
/// How a client command reaches a cluster: <c>--cluster CONN</c> (else <c>$MIMICRY_CLUSTER</c>) is the PostgreSQL
/// connection string of the cluster's database, where the client finds the gateways; <c>--cluster-id</c> (else
/// <c>$MIMICRY_CLUSTER_ID</c>, else <c>mimicry</c>) picks the cluster; <c>--tls-cert</c> (else
/// <c>$MIMICRY_TLS_CERTIFICATE</c>, password in <c>$MIMICRY_TLS_PASSWORD</c>) when the cluster uses TLS.
/// </summary>
internal sealed class ClusterConnection
{
    public const string Variable = "MIMICRY_CLUSTER";

    /// <param name="local">The command has a local mode (status, notebook): without a cluster it reads the data folder.</param>
    public ClusterConnection(bool local = false)
    {
        Cluster = new("--cluster")
        {
            Description = "The cluster's PostgreSQL connection string (default: $MIMICRY_CLUSTER)"
                + (local ? ". Without one, the command reads the local data folder" : ""),
        };
    }

    public Option<string?> Cluster { get; }

    public Option<string?> ClusterId { get; } = new("--cluster-id") { Description = "The cluster id (default: $MIMICRY_CLUSTER_ID, else mimicry)" };

    public Option<FileInfo?> TlsCert { get; } = new("--tls-cert") { Description = "PFX certificate for a cluster that uses TLS (default: $MIMICRY_TLS_CERTIFICATE; password in $MIMICRY_TLS_PASSWORD)" };

    public void AddTo(Command command)
    {
        command.Add(Cluster);
        command.Add(ClusterId);
        command.Add(TlsCert);
    }

    /// <summary>The connection string, or null when none is given (the command then works on the local data folder).</summary>
    public string? ConnectionString(ParseResult parse) =>
        parse.GetValue(Cluster) is { Length: > 0 } cs ? cs : Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } env ? env : null;

    public string RequireConnectionString(ParseResult parse) =>
        ConnectionString(parse) ?? throw new UserInputException($"--cluster: required (the cluster's PostgreSQL connection string), or set ${Variable}");

    public async Task<ClusterClient> ConnectAsync(ParseResult parse, CancellationToken cancellationToken)
    {
        var cs = RequireConnectionString(parse);
        var id = parse.GetValue(ClusterId) is { Length: > 0 } given ? given
            : Environment.GetEnvironmentVariable("MIMICRY_CLUSTER_ID") is { Length: > 0 } env ? env : "mimicry";
        var tls = new TlsSettings
        {
            Certificate = parse.GetValue(TlsCert)?.FullName ?? Environment.GetEnvironmentVariable("MIMICRY_TLS_CERTIFICATE"),
            CertificatePassword = Environment.GetEnvironmentVariable("MIMICRY_TLS_PASSWORD"),
        };
        if (tls.Problem() is { } problem)
        {
            throw new UserInputException($"--tls-cert: {problem["Certificate: ".Length..].Replace("CertificatePassword", "MIMICRY_TLS_PASSWORD", StringComparison.Ordinal)}");
        }
        try
        {
            Mimicry.Storage.Postgres.PostgresErrors.Parse(cs);
        }
        catch (Mimicry.Storage.StoreException ex)
        {
            throw new UserInputException($"--cluster: {ex.Message}");
        }
        try
        {
            return await ClusterClient.ConnectAsync(cs, id, tls, cancellationToken);
        }
        catch (Mimicry.Storage.StoreException ex)
        {
            throw new Mimicry.Storage.StoreException($"--cluster: {ex.Message}", ex);
        }
    }
}
