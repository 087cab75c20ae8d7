using Mimicry.Grains.Branches;
using Mimicry.SpecReading;
using Mimicry.Status;
using Mimicry.Storage;

namespace Mimicry.Grains.Catalog;

/// <summary>Every loop in a store with its totals, as <c>status</c> lists them (the catalog grain and the local CLI).</summary>
public static class LoopSummaries
{
    public static async Task<IReadOnlyList<LoopSummary>> ListAsync(INotebookStore store, DateTimeOffset now)
    {
        var list = new List<LoopSummary>();
        foreach (var loop in await store.ListLoopsAsync())
        {
            var spec = SpecJson.Deserialize(loop.SpecJson);
            var p = await store.GetProgressAsync(loop.Loop, spec.Branches);
            p = NotebookLineage.WithInherited(p, await NotebookLineage.InheritedTotalsAsync(store, spec));
            var finished = (await store.ListFinishedBranchesAsync(loop.Loop)).Count;
            var calibration = spec.Calibration is null ? null : Calibration.CalibrationService.Summarize(spec, await store.ListProbesAsync(loop.Loop), now);
            var awaiting = (await store.ListReviewsAsync(loop.Loop, pendingOnly: true)).Select(r => r.Branch).Distinct().Count();
            list.Add(new LoopSummary(loop.Loop, loop.SpecJson, loop.State, loop.Reason, finished, p.DaysDone, p.Sessions, p.Entries, p.Bits, loop.Updated,
                p.InputTokens, p.OutputTokens, p.Cost, calibration, p.MinDaysDone, p.MaxDaysDone, awaiting, p.CachedInputTokens));
        }
        return list;
    }
}
