using Mimicry.Grains.Branches;
using Mimicry.Sessions;
using Mimicry.Storage;

namespace Mimicry.UnitTests.Branches;

/// <summary>The day's collector and the loop's running totals, on their own.</summary>
public sealed class PendingDayAndTallyTests
{
    private static SessionResult Result(int day, int slot, string? text, string? error = null) =>
        new(new SessionKey("loop", 0, day, slot), text, error, 10 + slot, 20 + slot);

    [Fact]
    public async Task APendingDay_TakesEachSlotOnce_IgnoresOtherDaysAndSlots_AndCompletesWhenFull()
    {
        var day = new PendingDay(3, 3);
        Assert.True(day.Accept(Result(3, 1, "b")));
        Assert.False(day.Accept(Result(3, 1, "b again (a re-dispatch)")));
        Assert.False(day.Accept(Result(2, 0, "yesterday's")));
        Assert.False(day.Accept(Result(3, 7, "no such slot")));
        Assert.False(day.Accept(Result(3, -1, "no such slot")));
        Assert.Equal([0, 2], day.MissingSlots());
        Assert.False(day.Completion.Task.IsCompleted);
        day.Accept(Result(3, 0, null, "the server failed (500)"));
        day.Accept(Result(3, 2, "c"));
        await day.Completion.Task.WaitAsync(TimeSpan.FromSeconds(1));
        Assert.Empty(day.MissingSlots());
        Assert.Equal([(0, null, 10, 20), (1, "b", 11, 21), (2, "c", 12, 22)], day.Candidates().Select(c => (c.Slot, c.Text, c.InputTokens, c.OutputTokens)));
        Assert.Equal("the server failed (500)", day.FirstError());
    }

    [Fact]
    public void APendingDay_CountsOnlyDispatchesBeyondOnePerSlot_AsExtraSessions()
    {
        var day = new PendingDay(1, 4);
        day.Dispatching(3); // one slot was still running, begun by an earlier activation
        Assert.Equal(0, day.ExtraSessions);
        day.Dispatching(2); // two lost reports dispatched again
        Assert.Equal(1, day.ExtraSessions);
        Assert.Equal(5, day.Dispatched);
    }

    [Fact]
    public void ALoopTally_SumsDays_AndReportsTheSlowestBranchOnlyOnceEveryBranchStarted()
    {
        var tally = new LoopTally();
        tally.Add(new DayRecord("loop", 0, 1, DateTimeOffset.UnixEpoch, "all", 2, 2, 1.5, [new EntryRecord(0, 0, "s", 1, "synthetic", "x", "h")], 100, 50, 0.25));
        tally.Add(1, days: 3, sessions: 6, entries: 6, bits: 0.5);
        var partial = tally.Snapshot(branches: 3);
        Assert.Equal((4L, 8L, 7L, 2.0, 2, 0, 3, 100L, 50L, 0.25), (partial.DaysDone, partial.Sessions, partial.Entries, partial.Bits, partial.BranchesStarted, partial.MinDaysDone, partial.MaxDaysDone, partial.InputTokens, partial.OutputTokens, partial.Cost));
        tally.Add(2, days: 2, sessions: 2, entries: 2, bits: 0);
        var full = tally.Snapshot(branches: 3);
        Assert.Equal((1, 3), (full.MinDaysDone, full.MaxDaysDone));
        Assert.Equal(new Dictionary<int, int> { [0] = 1, [1] = 3, [2] = 2 }, tally.DaysPerBranch());
        Assert.Equal(LoopProgress.Empty.DaysDone, new LoopTally().Snapshot(1).DaysDone);
    }
}
