using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Mimicry.Storage;
using Mimicry.Storage.Postgres;
using Orleans.Configuration;
using Orleans.Messaging;

namespace Mimicry.Hosting.Cluster;

/// <summary>
/// A client of a running cluster. It finds the gateways in the membership table of the cluster's database, so
/// <c>--cluster</c> is that database's connection string; if its gateway silo dies, Orleans moves it to another.
/// </summary>
public sealed class ClusterClient : IAsyncDisposable
{
    private readonly IHost _host;

    private ClusterClient(IHost host)
    {
        _host = host;
        Grains = host.Services.GetRequiredService<IClusterClient>();
    }

    public IClusterClient Grains { get; }

    /// <summary>Connects, or throws a <see cref="StoreException"/> saying in one sentence why it cannot.</summary>
    public static async Task<ClusterClient> ConnectAsync(string connectionString, string clusterId, TlsSettings? tls = null, CancellationToken cancellationToken = default)
    {
        var db = new ClusterDatabase(PostgresNotebookStore.CreateDataSource(connectionString));
        try
        {
            await PostgresNotebookStore.ConnectAsync(db.DataSource, connectionString, migrate: false, cancellationToken);
            var gateways = await PostgresGatewayListProvider.ActiveGatewaysAsync(db.DataSource, clusterId);
            if (gateways.Count == 0)
            {
                var others = await PostgresGatewayListProvider.ActiveClustersAsync(db.DataSource);
                throw new StoreException(others.Count == 0
                    ? $"no silo of cluster '{clusterId}' is running (the database has no active silos; start one with `mimicry silo --config FILE`)"
                    : $"no silo of cluster '{clusterId}' is running; clusters with running silos in this database: {string.Join(", ", others)} (set --cluster-id)");
            }
        }
        catch
        {
            await db.DisposeAsync();
            throw;
        }

        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Logging.AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
        builder.Logging.SetMinimumLevel(LogLevel.Error);
        builder.Logging.AddFilter("Orleans", LogLevel.None);
        builder.Logging.AddFilter("Microsoft", LogLevel.None);
        builder.Services.AddSingleton(db);
        builder.UseOrleansClient(client =>
        {
            client.Configure<ClusterOptions>(o =>
            {
                o.ClusterId = clusterId;
                o.ServiceId = "mimicry";
            });
            client.Configure<GatewayOptions>(o => o.GatewayListRefreshPeriod = TimeSpan.FromSeconds(5));
            client.Services.AddSingleton<IGatewayListProvider, PostgresGatewayListProvider>();
            // A few attempts, then a plain error: a client must not hang on a cluster it cannot reach.
            var attempts = 0;
            client.UseConnectionRetryFilter(async (_, ct) =>
            {
                if (++attempts > 5)
                {
                    return false;
                }
                await Task.Delay(TimeSpan.FromSeconds(1), ct);
                return true;
            });
            if (tls?.Load() is { } certificate)
            {
                client.UseTls(certificate, o => ClusterTls.Configure(o, certificate, tls));
            }
        });
        var host = builder.Build();
        try
        {
            await host.StartAsync(cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            host.Dispose();
            throw new ClusterException($"cannot connect to cluster '{clusterId}': {ex.GetBaseException().Message.TrimEnd('.')}", ex);
        }
        return new ClusterClient(host);
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await _host.StopAsync(TimeSpan.FromSeconds(5));
        }
        finally
        {
            _host.Dispose();
        }
    }
}
