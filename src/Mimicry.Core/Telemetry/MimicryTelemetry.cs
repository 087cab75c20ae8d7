using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Mimicry.Telemetry;

/// <summary>The project's ActivitySource and Meter, both named "Mimicry".</summary>
public static class MimicryTelemetry
{
    public const string Name = "Mimicry";

    /// <summary>The attribute naming the loop, on spans and measurements.</summary>
    public const string LoopTag = "mimicry.loop";

    public static readonly ActivitySource Source = new(Name, typeof(MimicryTelemetry).Assembly.GetName().Version?.ToString());

    public static readonly Meter Meter = new(Name);

    public static readonly Counter<long> Sessions = Meter.CreateCounter<long>("mimicry.sessions", "{session}", "Sessions completed");

    public static readonly Counter<long> Days = Meter.CreateCounter<long>("mimicry.days", "{day}", "Branch-days committed to notebooks");

    public static readonly Counter<double> Bits = Meter.CreateCounter<double>("mimicry.bits", "{bit}", "Optimization pressure spent by selection");
}
