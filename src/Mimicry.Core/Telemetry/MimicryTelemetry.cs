using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Mimicry.Telemetry;

/// <summary>
/// The project's ActivitySource and Meter, both named "Mimicry", and every instrument on it (docs/observability.md
/// lists them with their labels). Labels are bounded: a loop's name, a backend's name or host, a small fixed set of
/// outcomes and reasons — never a branch, a day, a session or a user.
/// </summary>
public static class MimicryTelemetry
{
    public const string Name = "Mimicry";

    /// <summary>The ActivitySource and Meter of model calls made through Microsoft.Extensions.AI (GenAI semantic conventions).</summary>
    public const string GenAiName = "Mimicry.GenAI";

    /// <summary>The attribute naming the loop, on spans and measurements.</summary>
    public const string LoopTag = "mimicry.loop";

    /// <summary>The attribute naming a model backend: a configured backend's name, else the host (and port) of its URL.</summary>
    public const string BackendTag = "mimicry.backend";

    public const string DirectionTag = "mimicry.tokens.direction";

    public const string OutcomeTag = "mimicry.outcome";

    public const string ReasonTag = "mimicry.reason";

    public static readonly ActivitySource Source = new(Name, typeof(MimicryTelemetry).Assembly.GetName().Version?.ToString());

    public static readonly Meter Meter = new(Name);

    // Loops and days.

    /// <summary>Sessions finished, tagged by loop, simulator kind and outcome (ok, failed).</summary>
    public static readonly Counter<long> Sessions = Meter.CreateCounter<long>("mimicry.sessions", "{session}", "Sessions finished");

    public static readonly Counter<long> Days = Meter.CreateCounter<long>("mimicry.days", "{day}", "Branch-days committed to notebooks");

    public static readonly Counter<long> Held = Meter.CreateCounter<long>("mimicry.reviews.held", "{day}", "Branch-days held for review (at a gate, or quarantined by a tripwire)");

    /// <summary>Held days not yet decided, as seen by this process (held here minus decided or superseded here).</summary>
    public static readonly UpDownCounter<long> ReviewsWaiting = Meter.CreateUpDownCounter<long>("mimicry.reviews.waiting", "{review}", "Held days waiting for a reviewer");

    public static readonly Counter<double> Bits = Meter.CreateCounter<double>("mimicry.bits", "{bit}", "Optimization pressure spent by selection");

    public static readonly Histogram<double> DayDuration = Meter.CreateHistogram("mimicry.day.duration", "s", "From a branch-day's start to its commit",
        advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300] });

    public static readonly Histogram<double> SessionDuration = Meter.CreateHistogram("mimicry.session.duration", "s", "A session from admission to its result (queueing included)",
        advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120] });

    /// <summary>Sessions admitted on this silo and waiting for their loop's <c>maxConcurrency</c> (tagged by loop).</summary>
    public static readonly UpDownCounter<long> SessionsQueued = Meter.CreateUpDownCounter<long>("mimicry.sessions.queued", "{session}", "Sessions waiting for a slot of their loop");

    /// <summary>Sessions running their simulator on this silo (tagged by loop).</summary>
    public static readonly UpDownCounter<long> SessionsActive = Meter.CreateUpDownCounter<long>("mimicry.sessions.active", "{session}", "Sessions running their simulator");

    // Model backends.

    /// <summary>Tokens a model billed (failed attempts included when the server reported them), by loop, backend and direction.</summary>
    public static readonly Counter<long> Tokens = Meter.CreateCounter<long>("mimicry.tokens", "{token}", "Tokens billed by model backends");

    /// <summary>Of the input tokens counted in <see cref="Tokens"/>, those the server served from its prompt cache (a subset: never add the two).</summary>
    public static readonly Counter<long> CachedTokens = Meter.CreateCounter<long>("mimicry.tokens.cached", "{token}", "Input tokens a model backend served from its prompt cache (included in mimicry.tokens input)");

    /// <summary>Cost of the tokens billed, in the price table's currency (tagged by loop, backend and currency).</summary>
    public static readonly Counter<double> Cost = Meter.CreateCounter<double>("mimicry.cost", "{currency_unit}", "Cost of the tokens billed, from the price table");

    /// <summary>Model requests sent, tagged by backend and outcome (ok, throttled, error).</summary>
    public static readonly Counter<long> Requests = Meter.CreateCounter<long>("mimicry.model.requests", "{request}", "Requests sent to model backends");

    /// <summary>Attempts retried, by backend and reason (throttled, timeout, server_error, network, malformed).</summary>
    public static readonly Counter<long> Retries = Meter.CreateCounter<long>("mimicry.model.retries", "{retry}", "Model requests retried");

    public static readonly Histogram<double> AdmissionWait = Meter.CreateHistogram("mimicry.model.admission.wait", "s", "Time a request waited for its backend's rate, quota and concurrency",
        advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.0001, 0.001, 0.005, 0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60] });

    // Calibration and tripwires.

    /// <summary>Probe events by loop: asked, answered, expired.</summary>
    public static readonly Counter<long> Probes = Meter.CreateCounter<long>("mimicry.probes", "{probe}", "Calibration probes asked, answered and expired");

    /// <summary>Candidates a tripwire tripped on, by loop and detector.</summary>
    public static readonly Counter<long> TripwireHits = Meter.CreateCounter<long>("mimicry.tripwire.hits", "{candidate}", "Candidates a tripwire tripped on");

    public const string DetectorTag = "mimicry.detector";

    public const string ProbeEventTag = "mimicry.probe.event";

    static MimicryTelemetry()
    {
        Meter.CreateObservableGauge("mimicry.bits.budget", () => MimicryGauges.Budgets(), "{bit}", "A loop's bit budget (max bits), reported by the silo holding the loop");
        Meter.CreateObservableGauge("mimicry.drift.cusum", () => MimicryGauges.Drift(), null, "A loop's drift statistic (one-sided CUSUM of falling probe scores)");
        Meter.CreateObservableGauge("mimicry.model.concurrency.limit", () => MimicryGauges.ConcurrencyLimits(), "{request}", "A backend's adaptive concurrency limit on this silo");
    }

    /// <summary>Marks a span failed with the exception's type and message (never its stack: messages may hold model text only through our own wording).</summary>
    public static void Fail(Activity? activity, Exception error)
    {
        if (activity is null)
        {
            return;
        }
        activity.SetStatus(ActivityStatusCode.Error, error.Message);
        activity.AddEvent(new ActivityEvent("exception", tags: new ActivityTagsCollection
        {
            ["exception.type"] = error.GetType().FullName,
            ["exception.message"] = error.Message,
        }));
    }

    /// <summary>Marks a span failed with a reason of ours (a session that failed without an exception reaching here).</summary>
    public static void Fail(Activity? activity, string reason) => activity?.SetStatus(ActivityStatusCode.Error, reason);
}
