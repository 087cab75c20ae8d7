using Microsoft.Extensions.Configuration;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Mimicry.Storage;
using Orleans.Configuration;

namespace Mimicry.Hosting;

/// <summary>
/// The embedded mode: one silo in this process with localhost clustering, over a store the caller opened.
/// Ports are picked free at start, so several embedded runs (and tests) can share a machine.
/// </summary>
public sealed class EmbeddedHost : IAsyncDisposable
{
    private readonly IHost _host;

    private EmbeddedHost(IHost host)
    {
        _host = host;
        Grains = host.Services.GetRequiredService<IGrainFactory>();
    }

    public IGrainFactory Grains { get; }

    public static async Task<EmbeddedHost> StartAsync(INotebookStore store, TraceExport trace, LogLevel logLevel = LogLevel.Warning, CancellationToken cancellationToken = default)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        // OpenTelemetry reads OTEL_* settings (endpoint, protocol, headers) from configuration.
        builder.Configuration.AddEnvironmentVariables();
        builder.Logging.AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
        builder.Logging.SetMinimumLevel(logLevel);
        builder.Logging.AddFilter("Orleans", logLevel < LogLevel.Error ? LogLevel.Error : logLevel);
        builder.Logging.AddFilter("Microsoft", logLevel < LogLevel.Error ? LogLevel.Error : logLevel);
        // A host that fails to start logs the exception with its stack; the caller reports it in one sentence instead.
        builder.Logging.AddFilter("Microsoft.Extensions.Hosting", LogLevel.None);
        // Orleans retries placement through Polly and logs each attempt as a warning.
        builder.Logging.AddFilter("Polly", logLevel < LogLevel.Error ? LogLevel.Error : logLevel);
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(20));
        builder.Services.AddMimicryTelemetry(trace);
        builder.UseOrleans(silo =>
        {
            silo.UseLocalhostClustering(siloPort: FreePort(), gatewayPort: FreePort(), serviceId: "mimicry", clusterId: "mimicry-embedded-" + Environment.ProcessId);
            silo.Configure<ClusterMembershipOptions>(o => o.EnableIndirectProbes = false);
            silo.AddMimicry(store);
        });
        var host = builder.Build();
        await host.StartAsync(cancellationToken);
        return new EmbeddedHost(host);
    }

    public async Task StopAsync() => await _host.StopAsync();

    public async ValueTask DisposeAsync()
    {
        await _host.StopAsync();
        _host.Dispose();
    }

    private static int FreePort()
    {
        using var l = new TcpListener(IPAddress.Loopback, 0);
        l.Start();
        return ((IPEndPoint)l.LocalEndpoint).Port;
    }
}
