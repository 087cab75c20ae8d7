namespace Mimicry.Hosting;

/// <summary>Where spans go. OTLP is also switched on by the standard OTEL_EXPORTER_OTLP_ENDPOINT variable.</summary>
public enum TraceExport
{
    None,
    Console,
    Otlp,
}
