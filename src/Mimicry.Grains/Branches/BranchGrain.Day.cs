using System.Diagnostics;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Mimicry.Anchors;
using Mimicry.Grains.Sessions;
using Mimicry.Selection;
using Mimicry.Sessions;
using Mimicry.Spec;
using Mimicry.SpecReading;
using Mimicry.Status;
using Mimicry.Storage;
using Mimicry.Telemetry;

namespace Mimicry.Grains.Branches;

/// <summary>One day's two ends: its sessions dispatched and collected (again for those lost), and its commit.</summary>
public sealed partial class BranchGrain
{
    /// <summary>Appends the day and counts it; returns the notebook as it now stands.</summary>
    private async Task<BranchNotebook> CommitAsync(LoopSpec spec, int branch, DayRecord day, BranchNotebook notebook)
    {
        bool appended;
        using (var append = MimicryTelemetry.Source.StartActivity("mimicry.append"))
        {
            try
            {
                appended = await store.AppendDayAsync(day);
            }
            catch (Exception ex)
            {
                MimicryTelemetry.Fail(append, ex);
                throw;
            }
        }
        if (!appended)
        {
            // Another activation of this branch (one being deactivated) committed the day first. Keep what
            // the store holds, not this copy: with a real model the two need not be equal.
            return await LoadNotebookAsync(spec, branch);
        }
        notebook.Add(day);
        var loopTag = new KeyValuePair<string, object?>(MimicryTelemetry.LoopTag, spec.Name);
        MimicryTelemetry.Days.Add(1, loopTag);
        MimicryTelemetry.Bits.Add(day.Bits, loopTag);
        // Tokens and cost are counted per model call (with their backend), where failed attempts are seen too.
        return notebook;
    }

    /// <param name="digest">The day is a digest day: one consolidation session instead of <c>width</c> research sessions.</param>
    private async Task<PendingDay> RunSessionsAsync(LoopSpec spec, int branch, int day, DateTimeOffset anchor, BranchNotebook notebook, int reroll, bool digest, CancellationToken stop)
    {
        var width = digest ? 1 : spec.Width;
        var pending = _pending = new PendingDay(day, width);
        var worker = GrainFactory.GetGrain<ISessionGrain>(0);
        var request = DayLogic.Request(spec, branch, day, 0, anchor, notebook, reroll, digest);
        var wait = SessionTimeouts.Report(spec.Simulator);
        // Nothing but calls keeps an activation from idle collection, and a day's sessions may run far longer than
        // the collection age: keep this one for as long as the day may take (every dispatch's wait).
        DelayDeactivation(wait * MaxDispatches + SessionTimeouts.Grace);
        TakeEarlyResults(pending);
        // Sessions an earlier activation here began for this day are still running and will report to this one.
        var slots = pending.MissingSlots().Where(s => !runner.IsInFlight(new SessionKey(spec.Name, branch, day, s))).ToList();
        for (var attempt = 1; ; attempt++)
        {
            pending.Dispatching(slots.Count);
            // One call for the day's sessions, not one per slot: fewer messages, and one trace hop.
            await worker.BeginAll(slots.Select(slot => request with { Key = request.Key with { Slot = slot } }).ToArray());
            while (true)
            {
                try
                {
                    await pending.Completion.Task.WaitAsync(wait, clock.Time, stop);
                    return pending;
                }
                catch (TimeoutException)
                {
                    // Sessions still held by this silo's runner are queued or running: they will report. Only
                    // those it no longer holds were lost on the way back, and only those are dispatched again.
                    slots = pending.MissingSlots().Where(s => !runner.IsInFlight(new SessionKey(spec.Name, branch, day, s))).ToList();
                    if (slots.Count > 0)
                    {
                        break;
                    }
                }
            }
            if (attempt == MaxDispatches)
            {
                throw new TimeoutException($"day {day}: the results of {slots.Count} of {width} sessions were lost {MaxDispatches} times");
            }
            BranchLog.Redispatch(logger, GrainKeys.Branch(spec.Name, branch), day, slots.Count);
        }
    }

    /// <summary>Moves results that reached this activation before it began their day into the day (or the bill, if their day is past).</summary>
    private void TakeEarlyResults(PendingDay pending)
    {
        foreach (var (key, result) in _early.Where(kv => kv.Key.Day <= pending.Day).ToList())
        {
            _early.Remove(key);
            if (!pending.Accept(result))
            {
                _unbilled += DaySpend.TokensOf(result);
            }
        }
    }
}
