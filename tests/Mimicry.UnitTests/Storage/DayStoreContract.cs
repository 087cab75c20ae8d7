using Mimicry.Status;
using Mimicry.Storage;
using static Mimicry.UnitTests.Storage.StoreRecords;

namespace Mimicry.UnitTests.Storage;

/// <summary>
/// What every store's <see cref="IDayStore"/> must do, whatever keeps the rows. The notebooks: a day is appended once with its entries, read whole and in order. Each store has a subclass that
/// says how to open a fresh one (StoreContracts.*.cs); the facts run against all of them.
/// </summary>
public abstract class DayStoreContract
{
    protected abstract INotebookStore OpenFresh();

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
}
