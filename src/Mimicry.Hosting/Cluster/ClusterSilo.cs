using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Mimicry.Api;
using Mimicry.Web;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Mimicry.Storage;
using Mimicry.Storage.Postgres;
using Orleans.Configuration;
using Orleans.Runtime.Placement;

namespace Mimicry.Hosting.Cluster;

/// <summary>
/// A silo in cluster mode: membership and notebooks in PostgreSQL, branches placed at random across silos, and
/// the services that bring branches back when a silo dies or the whole cluster restarts. Every setting is checked
/// before anything starts; a problem is one sentence naming the setting (HostSettingsException/StoreException).
/// </summary>
public static class ClusterSilo
{
    public static async Task<WebApplication> StartAsync(IConfiguration configuration, TraceExport trace, LogLevel logLevel, CancellationToken cancellationToken)
    {
        var settings = Bind(configuration);
        CheckPortFree(settings.SiloPort, "SiloPort");
        if (settings.GatewayPort > 0)
        {
            CheckPortFree(settings.GatewayPort, "GatewayPort");
        }
        var advertised = settings.AdvertisedAddress is { Length: > 0 } a ? IPAddress.Parse(a) : DefaultAddress();

        PostgresNotebookStore store;
        try
        {
            store = await PostgresNotebookStore.OpenAsync(settings.Database!, settings.MigrateOnStart, settings.DatabaseOutage, cancellationToken);
        }
        catch (StoreException ex)
        {
            throw new StoreException($"{ClusterSettings.Section}:Database: {ex.Message}", ex);
        }
        var db = new ClusterDatabase(PostgresNotebookStore.CreateDataSource(settings.Database!));

        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [], ApplicationName = "mimicry" });
        builder.Configuration.Sources.Clear();
        builder.Configuration.AddConfiguration(configuration);
        builder.Logging.ClearProviders();
        builder.Logging.AddOneLineConsole();
        builder.Logging.SetMinimumLevel(logLevel);
        builder.Logging.AddFilter("Orleans", logLevel < LogLevel.Warning ? LogLevel.Warning : logLevel);
        builder.Logging.AddFilter("Microsoft", logLevel < LogLevel.Warning ? LogLevel.Warning : logLevel);
        builder.Logging.AddFilter("Microsoft.Extensions.Hosting", LogLevel.None);
        builder.Logging.AddFilter("Polly", LogLevel.Error);
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Error);
        // Start-up notes (server GC) and watchdog stalls of a busy 2-core box are noise for operators.
        builder.Logging.AddFilter("Orleans.Runtime.Silo", LogLevel.Error);
        builder.Logging.AddFilter("Orleans.Runtime.Watchdog", LogLevel.Error);
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(30));
        builder.Services.AddMimicryTelemetry(trace, prometheus: true);
        builder.Services.AddSingleton(db);
        builder.Services.AddHostedService<LoopResumer>();
        builder.Services.AddSingleton(BackendSettings.Load(configuration));
        builder.WebHost.UseUrls(settings.ApiUrls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        // The HTTP API is the only client entry point: specs are checked here, callers signed in, actions audited.
        ApiHosting.AddApi(builder, store.Access, new Mimicry.Api.ApiHostInfo(Embedded: false, store.Location));
        builder.UseOrleans(silo =>
        {
            if (settings.Kubernetes)
            {
                silo.UseKubernetesHosting();
                // The hosting package opens Orleans' default gateway port; clients use the HTTP API instead.
                silo.Configure<EndpointOptions>(o =>
                {
                    o.GatewayPort = settings.GatewayPort;
                    if (settings.GatewayPort == 0)
                    {
                        o.GatewayListeningEndpoint = null;
                    }
                });
            }
            else
            {
                silo.Configure<ClusterOptions>(o =>
                {
                    o.ClusterId = settings.ClusterId;
                    o.ServiceId = settings.ServiceId;
                });
                silo.ConfigureEndpoints(advertised, settings.SiloPort, settings.GatewayPort, listenOnAnyHostAddress: true);
            }
            if (settings.SiloName is { Length: > 0 } || !settings.Kubernetes)
            {
                // In Kubernetes the silo must keep the pod's name: the hosting package matches silos to pods by it.
                silo.Configure<SiloOptions>(o => o.SiloName = settings.SiloName ?? $"{Dns.GetHostName()}-{settings.SiloPort}");
            }
            silo.Services.AddSingleton<IMembershipTable, PostgresMembershipTable>();
            silo.Services.AddSingleton<IFatalErrorHandler, SiloFatalErrorHandler>();
            silo.Services.AddSingleton<Mimicry.Models.Admission.IQuotaShare, MembershipQuotaShare>();
            silo.Services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>, DeadSiloWatcher>();
            // Spread branches over the silos, so losing one costs a share of them, not the whole loop.
            silo.Services.AddSingleton<PlacementStrategy, RandomPlacement>();
            if (settings.Membership == "tuned")
            {
                silo.Configure<ClusterMembershipOptions>(Tuned);
            }
            if (settings.Tls.Load() is { } certificate)
            {
                silo.UseTls(certificate, o => ClusterTls.Configure(o, certificate, settings.Tls));
            }
            silo.AddMimicry(store);
            silo.AddMimicryDashboard();
        });
        var host = builder.Build();
        host.MapMimicryApi();
        host.MapMimicryWeb();
        host.MapMimicryMetrics();
        host.MapMimicryDashboard();
        try
        {
            await host.StartAsync(cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            await host.DisposeAsync();
            await store.DisposeAsync();
            throw new ClusterException($"the silo could not join cluster '{settings.ClusterId}': {ex.GetBaseException().Message.TrimEnd('.')}", ex);
        }
        return host;
    }

    /// <summary>Failure detection in about two seconds instead of Orleans' default of about seventeen (docs/benchmarks.md).</summary>
    public static void Tuned(ClusterMembershipOptions o)
    {
        o.ProbeTimeout = TimeSpan.FromSeconds(1);
        o.NumMissedProbesLimit = 2;
        o.TableRefreshTimeout = TimeSpan.FromSeconds(2);
        o.IAmAliveTablePublishTimeout = TimeSpan.FromSeconds(2);
    }

    public static ClusterSettings Bind(IConfiguration configuration)
    {
        var settings = new ClusterSettings();
        try
        {
            configuration.GetSection(ClusterSettings.Section).Bind(settings);
        }
        catch (InvalidOperationException ex)
        {
            throw new HostSettingsException(ex.Message.TrimEnd('.'));
        }
        var problems = settings.Problems().ToList();
        if (problems.Count > 0)
        {
            throw new HostSettingsException(string.Join("; ", problems));
        }
        if (settings.Database is { } cs)
        {
            try
            {
                PostgresErrors.Parse(cs);
            }
            catch (StoreException ex)
            {
                throw new HostSettingsException($"{ClusterSettings.Section}:Database: {ex.Message}");
            }
        }
        return settings;
    }

    private static void CheckPortFree(int port, string name)
    {
        try
        {
            using var l = new TcpListener(IPAddress.Any, port);
            l.Start();
        }
        catch (SocketException ex) when (ex.SocketErrorCode is SocketError.AddressAlreadyInUse or SocketError.AccessDenied)
        {
            throw new HostSettingsException(ex.SocketErrorCode == SocketError.AccessDenied
                ? $"{ClusterSettings.Section}:{name}: not allowed to listen on port {port}"
                : $"{ClusterSettings.Section}:{name}: port {port} is already in use on this host");
        }
    }

    private static IPAddress DefaultAddress() =>
        NetworkInterface.GetAllNetworkInterfaces()
            .Where(n => n.OperationalStatus == OperationalStatus.Up && n.NetworkInterfaceType != NetworkInterfaceType.Loopback)
            .SelectMany(n => n.GetIPProperties().UnicastAddresses)
            .Select(u => u.Address)
            .FirstOrDefault(a => a.AddressFamily == AddressFamily.InterNetwork)
        ?? IPAddress.Loopback;
}
