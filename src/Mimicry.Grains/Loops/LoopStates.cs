using System.Collections.Concurrent;
using Mimicry.Status;
using Mimicry.Storage;
using Mimicry.Simulation;

namespace Mimicry.Grains.Loops;

/// <summary>
/// Each loop's state as its branches see it before every day, so that a cancel or a pause stops every branch within
/// a day even when the loop's fan-out of stops fails part-way. Read from the store at most once per
/// <see cref="MaxAge"/> per loop on this silo (a day is never one store read more), and set at once by the loop's
/// own grain on this silo.
/// </summary>
public sealed class LoopStates(INotebookStore store, MimicryClock clock)
{
    public static readonly TimeSpan MaxAge = TimeSpan.FromMilliseconds(100);

    private readonly ConcurrentDictionary<string, (RunState State, DateTimeOffset ReadAt)> _states = new(StringComparer.Ordinal);

    /// <summary>Whether the loop still runs (unknown loops count as running: the branch's own checks decide then).</summary>
    public async ValueTask<bool> RunningAsync(string loop)
    {
        var now = clock.Time.GetUtcNow();
        if (_states.TryGetValue(loop, out var known) && now - known.ReadAt < MaxAge)
        {
            return known.State == RunState.Running;
        }
        var state = (await store.GetLoopAsync(loop))?.State ?? RunState.Running;
        _states[loop] = (state, now);
        return state == RunState.Running;
    }

    /// <summary>The loop is starting a branch here: read its state afresh before that branch's first day.</summary>
    public void Forget(string loop) => _states.TryRemove(loop, out _);

    /// <summary>The loop's grain changed its state on this silo: its branches here see it before their next day.</summary>
    public void Set(string loop, RunState state) => _states[loop] = (state, clock.Time.GetUtcNow());
}
