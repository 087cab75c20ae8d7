using Mimicry.Status;
using Mimicry.Storage;
using static Mimicry.UnitTests.Storage.StoreRecords;

namespace Mimicry.UnitTests.Storage;

/// <summary>
/// What every store's <see cref="IProgressStore"/> must do, whatever keeps the rows. Totals over the committed days: duplicates ignored, tokens and cost added up, concurrent appends all counted. Each store has a subclass that
/// says how to open a fresh one (StoreContracts.*.cs); the facts run against all of them.
/// </summary>
public abstract class ProgressStoreContract
{
    protected abstract INotebookStore OpenFresh();

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
}
