using Mimicry.Status;
using Mimicry.Storage;
using static Mimicry.UnitTests.Storage.StoreRecords;

namespace Mimicry.UnitTests.Storage;

/// <summary>
/// What every store's <see cref="ILoopStore"/> must do, whatever keeps the rows. Loops and how their branches ended: created once, state updated, listed in order; a branch's end never goes backwards. Each store has a subclass that
/// says how to open a fresh one (StoreContracts.*.cs); the facts run against all of them.
/// </summary>
public abstract class LoopStoreContract
{
    protected abstract INotebookStore OpenFresh();

    [Fact]
    public async Task Loops_CreateIsIdempotent_StateUpdates_AndListInCreationOrder()
    {
        await using var store = OpenFresh();
        var t0 = new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.Zero);
        await store.CreateLoopAsync(new LoopRecord("b-loop", "{}", "h1", RunState.Running, null, t0, t0));
        var again = await store.CreateLoopAsync(new LoopRecord("b-loop", "{\"x\":1}", "h2", RunState.Running, null, t0, t0));
        Assert.Equal(("h1", "{}"), (again.SpecHash, again.SpecJson));
        await store.CreateLoopAsync(new LoopRecord("a-loop", "{}", "h3", RunState.Running, null, t0.AddHours(1), t0.AddHours(1)));
        await store.SetLoopStateAsync("b-loop", RunState.Stopped, "budget");
        var loop = await store.GetLoopAsync("b-loop");
        Assert.Equal((RunState.Stopped, "budget"), (loop!.State, loop.Reason));
        Assert.Null(await store.GetLoopAsync("missing"));
        Assert.Equal(["b-loop", "a-loop"], (await store.ListLoopsAsync()).Select(l => l.Loop));
    }

    [Fact]
    public async Task Branches_FinishedStateIsUpserted_PerLoop()
    {
        await using var store = OpenFresh();
        await store.SetBranchStateAsync(new BranchRecord("loop", 3, RunState.Failed, "boom"));
        await store.SetBranchStateAsync(new BranchRecord("loop", 3, RunState.Completed, "done"));
        await store.SetBranchStateAsync(new BranchRecord("loop", 1, RunState.Stopped, "budget"));
        await store.SetBranchStateAsync(new BranchRecord("other", 0, RunState.Completed, "done"));
        var finished = await store.ListFinishedBranchesAsync("loop");
        Assert.Equal([(1, RunState.Stopped, "budget"), (3, RunState.Completed, "done")], finished.Select(b => (b.Branch, b.State, b.Reason!)));
    }

    [Fact]
    public async Task ABranchsEnd_NeverChanges_OnceRecorded()
    {
        await using var store = OpenFresh();
        await store.SetBranchStateAsync(new BranchRecord("loop", 3, RunState.Completed, "solved on day 9"));
        await store.SetBranchStateAsync(new BranchRecord("loop", 3, RunState.Failed, "a stale activation's error"));
        await store.SetBranchStateAsync(new BranchRecord("loop", 4, RunState.Stopped, "budget: maxBits reached"));
        Assert.Equal(
            [new BranchRecord("loop", 3, RunState.Completed, "solved on day 9"), new BranchRecord("loop", 4, RunState.Stopped, "budget: maxBits reached")],
            await store.ListFinishedBranchesAsync("loop"));
    }
}
