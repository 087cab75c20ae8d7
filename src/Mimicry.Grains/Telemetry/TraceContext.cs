using System.Diagnostics;
using Mimicry.Telemetry;

namespace Mimicry.Grains.Telemetry;

/// <summary>
/// Carries the trace across grain calls without a span per call. Orleans' own propagation opens a client and a
/// server span around every grain call; on the session path (begin, report) that tripled what tracing cost
/// (docs/benchmarks.md#tracing). Instead the caller's current span id rides in the call's RequestContext, and the
/// callee's spans take it as their parent: one trace, request → loop → day → session → simulator → append.
/// </summary>
public static class TraceContext
{
    /// <summary>The RequestContext key: a W3C traceparent of the caller's current span.</summary>
    public const string Key = "mimicry-traceparent";

    private static readonly AsyncLocal<ActivityContext> Remote = new();

    /// <summary>The span of the caller of the grain call being served (default when it was not traced).</summary>
    public static ActivityContext Caller
    {
        get => Remote.Value;
        internal set => Remote.Value = value;
    }

    /// <summary>The parent for a span started now: a span started earlier in this call, else the caller's.</summary>
    public static ActivityContext Parent => Activity.Current?.Context ?? Remote.Value;

    /// <summary>Starts one of our spans below <see cref="Parent"/>.</summary>
    public static Activity? Start(string name, ActivityKind kind = ActivityKind.Internal) =>
        MimicryTelemetry.Source.StartActivity(name, kind, Parent);
}
