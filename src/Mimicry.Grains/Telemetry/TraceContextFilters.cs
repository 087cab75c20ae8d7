using System.Diagnostics;

namespace Mimicry.Grains.Telemetry;

/// <summary>Puts the caller's current span into an outgoing grain call (<see cref="TraceContext"/>); nothing when untraced.</summary>
public sealed class TraceContextOutgoingFilter : IOutgoingGrainCallFilter
{
    public Task Invoke(IOutgoingGrainCallContext context)
    {
        // Sampled out or not, the context goes along, so the callee's spans follow the caller's sampling decision.
        if (Activity.Current is { Id: { } id })
        {
            RequestContext.Set(TraceContext.Key, id);
        }
        else if (RequestContext.Get(TraceContext.Key) is not null)
        {
            // The ambient RequestContext flows on from the call being served; an untraced call must not claim its parent.
            RequestContext.Remove(TraceContext.Key);
        }
        return context.Invoke();
    }
}

/// <summary>
/// Serves a grain call with the caller's span as <see cref="TraceContext.Caller"/> and no ambient activity, so the
/// spans the call starts hang below the caller, not below whatever the scheduler's thread last ran.
/// </summary>
public sealed class TraceContextIncomingFilter : IIncomingGrainCallFilter
{
    public Task Invoke(IIncomingGrainCallContext context)
    {
        var caller = RequestContext.Get(TraceContext.Key) is string id && ActivityContext.TryParse(id, null, isRemote: true, out var parsed) ? parsed : default;
        if (caller == default && TraceContext.Caller == default && Activity.Current is null)
        {
            return context.Invoke(); // untraced: nothing to set, nothing to restore
        }
        return InvokeAsync(context, caller);
    }

    private static async Task InvokeAsync(IIncomingGrainCallContext context, ActivityContext caller)
    {
        // Both are async-local: set here, they are undone when this method returns.
        Activity.Current = null;
        TraceContext.Caller = caller;
        await context.Invoke();
    }
}
