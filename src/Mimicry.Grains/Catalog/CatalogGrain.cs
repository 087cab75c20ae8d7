using Orleans.Concurrency;
using Mimicry.Specs;
using Mimicry.Status;
using Mimicry.Storage;

namespace Mimicry.Grains.Catalog;

/// <summary>Answers clients' read-only queries from the store of whichever silo takes the call.</summary>
[StatelessWorker]
public sealed class CatalogGrain(INotebookStore store) : Grain, ICatalogGrain
{
    async Task<IReadOnlyList<LoopSummary>> ICatalogGrain.ListLoops()
    {
        var list = new List<LoopSummary>();
        foreach (var loop in await store.ListLoopsAsync())
        {
            var spec = SpecJson.Deserialize(loop.SpecJson);
            var p = await store.GetProgressAsync(loop.Loop, spec.Branches);
            var finished = (await store.ListFinishedBranchesAsync(loop.Loop)).Count;
            var calibration = spec.Calibration is null ? null : Calibration.CalibrationService.Summarize(spec, await store.ListProbesAsync(loop.Loop), DateTimeOffset.UtcNow);
            list.Add(new LoopSummary(loop.Loop, loop.SpecJson, loop.State, loop.Reason, finished, p.DaysDone, p.Sessions, p.Entries, p.Bits, loop.Updated, p.InputTokens, p.OutputTokens, p.Cost, calibration, p.MinDaysDone, p.MaxDaysDone));
        }
        return list;
    }

    async Task<IReadOnlyList<NotebookDay>> ICatalogGrain.ReadBranch(string loop, int branch) =>
        (await store.ReadDaysAsync(loop, branch))
            .Select(d => new NotebookDay(d.Day, d.Anchor, d.Selection, d.Candidates, d.Sessions, d.Bits,
                d.Entries.Select(e => new NotebookEntry(e.Seq, e.Slot, e.SessionId, e.Seed, e.Simulator, e.Text, e.Hash, e.InputTokens, e.OutputTokens)).ToList(),
                d.InputTokens, d.OutputTokens, d.Cost))
            .ToList();
}
