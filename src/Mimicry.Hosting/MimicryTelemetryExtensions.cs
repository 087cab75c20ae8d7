using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Mimicry.Api.Auth;
using Mimicry.Telemetry;
using OpenTelemetry;
using OpenTelemetry.Logs;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Mimicry.Hosting;

/// <summary>
/// Wires OpenTelemetry (docs/observability.md). Metrics are always collected on a host that serves the API, for its
/// Prometheus endpoint; they and traces and logs go out over OTLP when OTEL_EXPORTER_OTLP_ENDPOINT is set (or
/// <c>--trace otlp</c>); spans print with <c>--trace console</c>.
/// </summary>
public static class MimicryTelemetryExtensions
{
    public const string OtlpEndpointVariable = "OTEL_EXPORTER_OTLP_ENDPOINT";

    /// <summary>Where Prometheus scrapes, admins only (a scrape shows every loop's name and spend).</summary>
    public const string MetricsPath = "/metrics";

    /// <summary>
    /// Sources of spans: ours, model calls, Npgsql. Not Orleans' grain-call spans: the trace crosses grain calls
    /// through <c>TraceContext</c> instead, at a third of the cost; the Orleans Dashboard has per-method calls and latency.
    /// </summary>
    public static readonly IReadOnlyList<string> Sources = [MimicryTelemetry.Name, MimicryTelemetry.GenAiName, "Npgsql"];

    /// <summary>Meters: ours, model calls (GenAI), Orleans, the runtime, HTTP client and server, Npgsql.</summary>
    public static readonly IReadOnlyList<string> Meters =
    [
        MimicryTelemetry.Name, MimicryTelemetry.GenAiName, "Microsoft.Orleans", "System.Runtime", "System.Net.Http",
        "Microsoft.AspNetCore.Hosting", "Microsoft.AspNetCore.Server.Kestrel", "Npgsql",
    ];

    public static IServiceCollection AddMimicryTelemetry(this IServiceCollection services, TraceExport export, bool prometheus = false)
    {
        var otlp = export == TraceExport.Otlp || !string.IsNullOrEmpty(Environment.GetEnvironmentVariable(OtlpEndpointVariable));
        if (export == TraceExport.None && !otlp && !prometheus)
        {
            return services;
        }
        var telemetry = services.AddOpenTelemetry()
            .ConfigureResource(r => r.AddService(Environment.GetEnvironmentVariable("OTEL_SERVICE_NAME") is { Length: > 0 } name ? name : "mimicry"));
        if (export != TraceExport.None || otlp)
        {
            telemetry.WithTracing(t =>
            {
                AddTraceSources(t);
                if (export == TraceExport.Console)
                {
                    t.AddConsoleExporter();
                }
                if (otlp)
                {
                    t.AddOtlpExporter();
                }
            });
        }
        if (otlp || prometheus)
        {
            telemetry.WithMetrics(m =>
            {
                m.AddMeter([.. Meters]);
                if (otlp)
                {
                    m.AddOtlpExporter();
                }
                if (prometheus)
                {
                    m.AddPrometheusExporter();
                }
            });
        }
        if (otlp)
        {
            // Log records carry the trace and span ids of the work that wrote them.
            telemetry.WithLogging(l => l.AddOtlpExporter(), o => o.IncludeFormattedMessage = true);
        }
        return services;
    }

    /// <summary>Every source a connected trace needs, with HTTP server and client spans (not for scrapes and health checks).</summary>
    public static TracerProviderBuilder AddTraceSources(TracerProviderBuilder t) => t
        .AddSource([.. Sources])
        .AddAspNetCoreInstrumentation(o =>
        {
            o.Filter = context => !context.Request.Path.StartsWithSegments(MetricsPath) && !context.Request.Path.StartsWithSegments("/healthz");
            o.RecordException = true;
        })
        .AddHttpClientInstrumentation();

    /// <summary>The scrape endpoint, for admins (a Prometheus server signs in with an admin's token file).</summary>
    public static void MapMimicryMetrics(this WebApplication app) =>
        app.MapPrometheusScrapingEndpoint(MetricsPath).RequireAuthorization(Roles.Policies.Admin).ExcludeFromDescription();
}
