using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Mimicry.Api;
using Mimicry.Web;
using Mimicry.Grains.Loops;
using Mimicry.Storage;
using Mimicry.Storage.Access;
using Orleans.Configuration;

namespace Mimicry.Hosting;

/// <summary>How an embedded host runs: whether it drives loops, and where its API listens (127.0.0.1 only).</summary>
public sealed record EmbeddedHostOptions
{
    /// <summary>False for the short-lived host a local command starts: it changes state through the grains but runs no days.</summary>
    public bool DriveLoops { get; init; } = true;

    /// <summary>The API's port on 127.0.0.1; 0 picks a free one.</summary>
    public int ApiPort { get; init; }

    public LogLevel LogLevel { get; init; } = LogLevel.Warning;

    /// <summary>
    /// Serve the Orleans Dashboard (admins only) when the host drives loops. A one-shot <c>mimicry run</c> leaves it
    /// out: it adds about 0.4 s to every start (docs/benchmarks.md#the-users-path-a-cold-mimicry-run-issue-17), and
    /// <c>mimicry serve</c> has it.
    /// </summary>
    public bool Dashboard { get; init; } = true;

    /// <summary>Settings on top of the environment's (Mimicry:Api:Oidc:…, Mimicry:Backends:…), as a config file would give.</summary>
    public IReadOnlyDictionary<string, string?>? Settings { get; init; }
}

/// <summary>
/// The embedded mode: one silo in this process with localhost clustering over a store the caller opened, and the HTTP
/// API on 127.0.0.1 (when an access store is given). Ports are picked free at start, so several embedded runs (and
/// tests) can share a machine.
/// </summary>
public sealed class EmbeddedHost : IAsyncDisposable
{
    private readonly IHost _host;

    private EmbeddedHost(IHost host, Uri? api)
    {
        _host = host;
        Grains = host.Services.GetRequiredService<IGrainFactory>();
        ApiUrl = api;
    }

    public IGrainFactory Grains { get; }

    /// <summary>Where the API listens, or null for a host without it (benchmarks of the grains alone).</summary>
    public Uri? ApiUrl { get; }

    public IServiceProvider Services => _host.Services;

    public static Task<EmbeddedHost> StartAsync(INotebookStore store, TraceExport trace, LogLevel logLevel = LogLevel.Warning, CancellationToken cancellationToken = default) =>
        StartAsync(store, null, trace, new EmbeddedHostOptions { LogLevel = logLevel }, cancellationToken);

    public static async Task<EmbeddedHost> StartAsync(INotebookStore store, IAccessStore? access, TraceExport trace, EmbeddedHostOptions options, CancellationToken cancellationToken = default)
    {
        var logLevel = options.LogLevel;
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [], ApplicationName = "mimicry" });
        builder.Configuration.Sources.Clear();
        // OpenTelemetry reads OTEL_* settings (endpoint, protocol, headers) from configuration; Mimicry__* too.
        builder.Configuration.AddEnvironmentVariables();
        if (options.Settings is { } settings)
        {
            builder.Configuration.AddInMemoryCollection(settings);
        }
        builder.Logging.ClearProviders();
        builder.Logging.AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
        builder.Logging.SetMinimumLevel(logLevel);
        builder.Logging.AddFilter("Orleans", logLevel < LogLevel.Error ? LogLevel.Error : logLevel);
        builder.Logging.AddFilter("Microsoft", logLevel < LogLevel.Error ? LogLevel.Error : logLevel);
        // A host that fails to start logs the exception with its stack; the caller reports it in one sentence instead.
        builder.Logging.AddFilter("Microsoft.Extensions.Hosting", LogLevel.None);
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.None);
        // Orleans retries placement through Polly and logs each attempt as a warning.
        builder.Logging.AddFilter("Polly", logLevel < LogLevel.Error ? LogLevel.Error : logLevel);
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(20));
        builder.Services.AddMimicryTelemetry(trace, prometheus: access is not null);
        // The Orleans Dashboard (admins only) on a host that runs loops; a command's short-lived host has no use for it.
        var dashboard = access is not null && options.DriveLoops && options.Dashboard;
        builder.Services.AddSingleton(BackendSettings.Load(builder.Configuration));
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, options.ApiPort));
        builder.UseOrleans(silo =>
        {
            // No Orleans gateway (port 0): the API is the only way in, so nothing on this machine reaches the grains unsigned-in.
            silo.UseLocalhostClustering(siloPort: FreePort(), gatewayPort: 0, serviceId: "mimicry", clusterId: "mimicry-embedded-" + Environment.ProcessId);
            silo.Configure<ClusterMembershipOptions>(o => o.EnableIndirectProbes = false);
            silo.AddMimicry(store);
            if (dashboard)
            {
                silo.AddMimicryDashboard();
            }
            // One local user: a spec may name a model URL and key variable; a command's host drives nothing.
            silo.Services.PostConfigure<LoopOptions>(o =>
            {
                o.InlineBackends = true;
                o.DriveBranches = options.DriveLoops;
            });
        });
        if (access is not null)
        {
            ApiHosting.AddApi(builder, access, new ApiHostInfo(Embedded: true, store.Location));
        }
        var app = builder.Build();
        if (access is not null)
        {
            app.MapMimicryApi();
            app.MapMimicryWeb();
            app.MapMimicryMetrics();
            if (dashboard)
            {
                app.MapMimicryDashboard();
            }
        }
        await app.StartAsync(cancellationToken);
        var url = access is null ? null : new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
        return new EmbeddedHost(app, url);
    }

    public async Task StopAsync() => await _host.StopAsync();

    public async ValueTask DisposeAsync()
    {
        await _host.StopAsync();
        (_host as IDisposable)?.Dispose();
    }

    private static int FreePort()
    {
        using var l = new TcpListener(IPAddress.Loopback, 0);
        l.Start();
        return ((IPEndPoint)l.LocalEndpoint).Port;
    }
}
