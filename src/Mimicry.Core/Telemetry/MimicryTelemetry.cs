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

    public static readonly Counter<long> Held = Meter.CreateCounter<long>("mimicry.reviews.held", "{day}", "Branch-days held for review (at a gate, or quarantined by a tripwire)");

    public static readonly Counter<double> Bits = Meter.CreateCounter<double>("mimicry.bits", "{bit}", "Optimization pressure spent by selection");

    /// <summary>Tokens a model billed, tagged by loop and <see cref="DirectionTag"/> (input or output).</summary>
    public static readonly Counter<long> Tokens = Meter.CreateCounter<long>("mimicry.tokens", "{token}", "Tokens billed by model backends");

    /// <summary>Cost of the tokens billed, in the price table's currency (tagged by loop and currency).</summary>
    public static readonly Counter<double> Cost = Meter.CreateCounter<double>("mimicry.cost", "{currency_unit}", "Cost of the tokens billed, from the spec's price table");

    /// <summary>Model requests sent, tagged by backend and outcome (ok, throttled, error).</summary>
    public static readonly Counter<long> Requests = Meter.CreateCounter<long>("mimicry.model.requests", "{request}", "Requests sent to model backends");

    public const string DirectionTag = "mimicry.tokens.direction";
}
