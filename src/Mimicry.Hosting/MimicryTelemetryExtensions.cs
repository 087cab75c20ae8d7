using Microsoft.Extensions.DependencyInjection;
using Mimicry.Telemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Mimicry.Hosting;

/// <summary>Wires OpenTelemetry: Mimicry's and Orleans' application spans, and Mimicry's metrics.</summary>
public static class MimicryTelemetryExtensions
{
    public const string OtlpEndpointVariable = "OTEL_EXPORTER_OTLP_ENDPOINT";

    public static IServiceCollection AddMimicryTelemetry(this IServiceCollection services, TraceExport export)
    {
        if (export == TraceExport.None && string.IsNullOrEmpty(Environment.GetEnvironmentVariable(OtlpEndpointVariable)))
        {
            return services;
        }
        services.AddOpenTelemetry()
            .ConfigureResource(r => r.AddService(Environment.GetEnvironmentVariable("OTEL_SERVICE_NAME") is { Length: > 0 } name ? name : "mimicry"))
            .WithTracing(t =>
            {
                t.AddSource(MimicryTelemetry.Name).AddSource("Microsoft.Orleans.Application");
                if (export == TraceExport.Console)
                {
                    t.AddConsoleExporter();
                }
                if (export == TraceExport.Otlp || !string.IsNullOrEmpty(Environment.GetEnvironmentVariable(OtlpEndpointVariable)))
                {
                    t.AddOtlpExporter();
                }
            })
            .WithMetrics(m =>
            {
                m.AddMeter(MimicryTelemetry.Name);
                if (export == TraceExport.Otlp || !string.IsNullOrEmpty(Environment.GetEnvironmentVariable(OtlpEndpointVariable)))
                {
                    m.AddOtlpExporter();
                }
            });
        return services;
    }
}
