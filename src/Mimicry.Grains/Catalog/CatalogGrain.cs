using Orleans.Concurrency;
using Mimicry.SpecReading;
using Mimicry.Status;
using Mimicry.Storage;

namespace Mimicry.Grains.Catalog;

/// <summary>Answers clients' read-only queries from the store of whichever silo takes the call.</summary>
[StatelessWorker]
public sealed class CatalogGrain(INotebookStore store) : Grain, ICatalogGrain
{
    Task<IReadOnlyList<LoopSummary>> ICatalogGrain.ListLoops() => LoopSummaries.ListAsync(store, DateTimeOffset.UtcNow);

    async Task<string?> ICatalogGrain.GetSpecJson(string loop) => (await store.GetLoopAsync(loop))?.SpecJson;

    async Task<IReadOnlyList<NotebookDay>> ICatalogGrain.ReadBranch(string loop, int branch)
    {
        var record = await store.GetLoopAsync(loop) ?? throw new KeyNotFoundException($"no loop named '{loop}' in {store.Location}");
        return (await NotebookView.ReadAsync(store, SpecJson.Deserialize(record.SpecJson), branch)).Select(NotebookView.ToWire).ToList();
    }
}
