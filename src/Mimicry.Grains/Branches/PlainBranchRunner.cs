using Mimicry.Anchors;
using Mimicry.Selection;
using Mimicry.Spec;
using Mimicry.Storage;
using Mimicry.Simulation;

namespace Mimicry.Grains.Branches;

/// <summary>
/// The same day logic as <see cref="BranchGrain"/> in a plain async loop with no Orleans. Tests use it as the
/// reference a grain run must match entry for entry; the benchmark uses it as the no-runtime baseline.
/// </summary>
public static class PlainBranchRunner
{
    public static async Task<BranchEnd> RunAsync(LoopSpec spec, int branch, INotebookStore store, ISessionSimulator simulator, TimeProvider time)
    {
        var notebook = await NotebookLineage.LoadAsync(store, spec, branch);
        var budget = BranchBudget.For(spec);
        while (true)
        {
            if (DayLogic.BeforeDay(spec, notebook, budget) is { } end)
            {
                await store.SetBranchStateAsync(new BranchRecord(spec.Name, branch, end.State, end.Reason));
                return end;
            }
            var day = notebook.DaysDone + 1;
            var anchor = AnchorClock.For(spec.Anchor, day, time.GetUtcNow());
            var snapshot = notebook.Snapshot;
            var candidates = new Candidate[spec.Width];
            for (var slot = 0; slot < spec.Width; slot++)
            {
                var output = await simulator.RunAsync(DayLogic.Request(spec, branch, day, slot, anchor, snapshot), CancellationToken.None);
                candidates[slot] = new Candidate(slot, output.Text, output.InputTokens, output.OutputTokens, output.CachedInputTokens);
            }
            var decision = DayLogic.Decide(spec, branch, day, anchor, candidates, notebook, budget);
            if (decision.End is { } stop)
            {
                await store.SetBranchStateAsync(new BranchRecord(spec.Name, branch, stop.State, stop.Reason));
                return stop;
            }
            if (DayScreening.Reasons(spec, day, DayScreening.Screen(spec, anchor, candidates, snapshot, null), decision.Shortlist) is { Count: > 0 } reasons)
            {
                // The reference has no reviewers: a day that would be held ends the run here.
                return new BranchEnd(Status.RunState.Paused, string.Join("; ", reasons));
            }
            await store.AppendDayAsync(decision.Day!);
            notebook.Add(decision.Day!);
        }
    }
}
