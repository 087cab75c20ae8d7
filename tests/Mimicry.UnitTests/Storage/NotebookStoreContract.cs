using Mimicry.Status;
using Mimicry.Storage;

namespace Mimicry.UnitTests.Storage;

/// <summary>
/// What every <see cref="INotebookStore"/> must do, whatever keeps the rows. Each implementation gets a subclass
/// that says how to open a fresh store; the facts below run against all of them.
/// </summary>
public abstract partial class NotebookStoreContract
{
    protected abstract INotebookStore OpenFresh();

    internal static DayRecord Day(int branch, int day, params string[] texts) => Day("loop", branch, day, texts);

    internal static DayRecord Day(string loop, int branch, int day, params string[] texts) => new(
        loop, branch, day, new DateTimeOffset(2026, 11, 1, 9, 0, 0, TimeSpan.Zero), "all", texts.Length, texts.Length, 0.5,
        texts.Select((t, i) => new EntryRecord(i, i, $"{loop}/{branch}/{day}/{i}", 42 + i, "synthetic", t, Mimicry.Text.ContentHash.Of(t))).ToArray());

    [Fact]
    public async Task ADayIsNeverRead_WithoutItsEntries_WhileDaysAreAppended()
    {
        await using var store = OpenFresh();
        var writing = Task.Run(async () =>
        {
            for (var day = 1; day <= 400; day++)
            {
                await store.AppendDayAsync(Day(0, day, $"a{day}", $"b{day}", $"c{day}"));
            }
        });
        var reads = 0;
        while (!writing.IsCompleted || reads < 10)
        {
            var days = await store.ReadDaysAsync("loop", 0);
            // One snapshot: every day it lists comes with all three of its entries.
            Assert.All(days, d => Assert.True(d.Entries.Count == 3, $"day {d.Day} read with {d.Entries.Count} of its 3 entries"));
            reads++;
        }
        await writing;
        Assert.Equal(400, (await store.ReadDaysAsync("loop", 0)).Count);
    }

    [Fact]
    public async Task ABranchsEnd_NeverChanges_OnceRecorded()
    {
        await using var store = OpenFresh();
        await store.SetBranchStateAsync(new BranchRecord("loop", 3, Mimicry.Status.RunState.Completed, "solved on day 9"));
        await store.SetBranchStateAsync(new BranchRecord("loop", 3, Mimicry.Status.RunState.Failed, "a stale activation's error"));
        await store.SetBranchStateAsync(new BranchRecord("loop", 4, Mimicry.Status.RunState.Stopped, "budget: maxBits reached"));
        Assert.Equal(
            [new BranchRecord("loop", 3, Mimicry.Status.RunState.Completed, "solved on day 9"), new BranchRecord("loop", 4, Mimicry.Status.RunState.Stopped, "budget: maxBits reached")],
            await store.ListFinishedBranchesAsync("loop"));
    }

    [Fact]
    public async Task AppendDay_IsIdempotentPerBranchAndDay_FirstWriteWins()
    {
        await using var store = OpenFresh();
        Assert.True(await store.AppendDayAsync(Day(0, 1, "first")));
        Assert.False(await store.AppendDayAsync(Day(0, 1, "a different retry")));
        var entry = Assert.Single(Assert.Single(await store.ReadDaysAsync("loop", 0)).Entries);
        Assert.Equal("first", entry.Text);
    }

    [Fact]
    public async Task ReadDays_ReturnsDaysInOrder_WithEntriesAndProvenance()
    {
        await using var store = OpenFresh();
        await store.AppendDayAsync(Day(2, 2, "z"));
        await store.AppendDayAsync(Day(2, 1, "x", "y"));
        await store.AppendDayAsync(Day(3, 1, "other branch"));
        await store.AppendDayAsync(Day("other-loop", 2, 3, "other loop"));
        var days = await store.ReadDaysAsync("loop", 2);
        Assert.Equal([1, 2], days.Select(d => d.Day));
        Assert.Equal(["x", "y"], days[0].Entries.Select(e => e.Text));
        var e = days[0].Entries[1];
        Assert.Equal((1, 1, "loop/2/1/1", 43L, "synthetic", Mimicry.Text.ContentHash.Of("y")), (e.Seq, e.Slot, e.SessionId, e.Seed, e.Simulator, e.Hash));
        Assert.Equal((new DateTimeOffset(2026, 11, 1, 9, 0, 0, TimeSpan.Zero), "all", 2, 0.5), (days[0].Anchor, days[0].Selection, days[0].Candidates, days[0].Bits));
        Assert.Empty(await store.ReadDaysAsync("loop", 9));
    }

    [Fact]
    public async Task TokensCachedTokensAndCost_RoundTrip_PerDayAndEntry_AndAddUpInProgress()
    {
        await using var store = OpenFresh();
        var day = Day(0, 1, "a", "b") with { InputTokens = 1000, OutputTokens = 200, Cost = 0.0125, CachedInputTokens = 640 };
        day = day with { Entries = [day.Entries[0] with { InputTokens = 500, OutputTokens = 100, CachedInputTokens = 320 }, day.Entries[1] with { InputTokens = 500, OutputTokens = 100, CachedInputTokens = 320 }] };
        await store.AppendDayAsync(day);
        await store.AppendDayAsync(Day(1, 1, "c") with { InputTokens = 10, OutputTokens = 2, Cost = 0.5, CachedInputTokens = 3 });
        var read = Assert.Single(await store.ReadDaysAsync("loop", 0));
        Assert.Equal((1000L, 200L, 0.0125, 640L), (read.InputTokens, read.OutputTokens, read.Cost, read.CachedInputTokens));
        Assert.Equal([(500, 100, 320), (500, 100, 320)], read.Entries.Select(e => (e.InputTokens, e.OutputTokens, e.CachedInputTokens)));
        var p = await store.GetProgressAsync("loop", 2);
        Assert.Equal((1010L, 202L, 643L), (p.InputTokens, p.OutputTokens, p.CachedInputTokens));
        Assert.Equal(0.5125, p.Cost, 9);
    }

    [Fact]
    public async Task ManyConcurrentAppends_AllLand_AndProgressAddsUp()
    {
        await using var store = OpenFresh();
        var tasks = Enumerable.Range(0, 500).SelectMany(b => Enumerable.Range(1, 4).Select(d => (b, d)))
            .Select(x => Task.Run(() => store.AppendDayAsync(Day(x.b, x.d, $"b{x.b}d{x.d}"))));
        Assert.All(await Task.WhenAll(tasks), Assert.True);
        var p = await store.GetProgressAsync("loop", 500);
        Assert.Equal((2000L, 2000L, 2000L, 500, 4, 4), (p.DaysDone, p.Entries, p.Sessions, p.BranchesStarted, p.MinDaysDone, p.MaxDaysDone));
        Assert.Equal(1000.0, p.Bits, 9);
    }

    [Fact]
    public async Task Progress_IgnoresDuplicates_AndCountsBranchesNotStartedAsZero()
    {
        await using var store = OpenFresh();
        await store.AppendDayAsync(Day(0, 1, "a", "b"));
        await store.AppendDayAsync(Day(0, 2, "c"));
        await store.AppendDayAsync(Day(1, 1, "d"));
        await store.AppendDayAsync(Day(1, 1, "duplicate, ignored"));
        var p = await store.GetProgressAsync("loop", 3);
        Assert.Equal((3L, 4L, 2, 0, 2), (p.DaysDone, p.Entries, p.BranchesStarted, p.MinDaysDone, p.MaxDaysDone));
        Assert.Equal(1.5, p.Bits, 9);
        Assert.Equal(1, (await store.GetProgressAsync("loop", 2)).MinDaysDone);
        Assert.Equal(LoopProgress.Empty, await store.GetProgressAsync("other", 2));
        var perBranch = await store.GetDaysPerBranchAsync("loop");
        Assert.Equal([(0, 2), (1, 1)], perBranch.OrderBy(x => x.Key).Select(x => (x.Key, x.Value)));
        Assert.Empty(await store.GetDaysPerBranchAsync("other"));
    }

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
}

public sealed class InMemoryNotebookStoreContractTests : NotebookStoreContract
{
    protected override INotebookStore OpenFresh() => new InMemoryNotebookStore();
}
