using Mimicry.Grains;
using Mimicry.Grains.Reviews;
using Mimicry.SpecReading;
using Mimicry.Status;
using Mimicry.Storage;
using Mimicry.UnitTests.Storage;
using Mimicry.Simulation;

namespace Mimicry.UnitTests.Reviews;

/// <summary>Decisions on held days: recorded with who and when, once; picks priced against the budget; refusals change nothing.</summary>
public class ReviewServiceTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 29, 12, 0, 0, TimeSpan.Zero);

    private static async Task<(InMemoryNotebookStore Store, ReviewService Reviews)> SetUpAsync(double maxBits, string state = "Running")
    {
        var store = new InMemoryNotebookStore();
        var spec = SpecReader.Parse("t.yaml", $$"""
            name: loop
            researcher: { id: ada, name: Ada }
            question: Q?
            anchor: { policy: fixed, time: 2026-11-01T09:00:00Z }
            days: 10
            width: 2
            selection: best-of-2
            budgets: { maxBits: {{maxBits}} }
            """, Now);
        await store.CreateLoopAsync(new LoopRecord("loop", SpecJson.Serialize(spec), SpecJson.Hash(spec), Enum.Parse<RunState>(state), null, Now, Now));
        await store.AddReviewAsync(StoreRecords.Review("loop", 0, 3));
        return (store, new ReviewService(store, new MimicryClock(new Microsoft.Extensions.Time.Testing.FakeTimeProvider(Now))));
    }

    [Fact]
    public async Task AnApproval_RecordsWhoWhenAndThePick_AndASecondDecisionIsRefused()
    {
        var (store, reviews) = await SetUpAsync(maxBits: 0);
        var approved = await reviews.ApproveAsync("loop/0/3/1", [0], "alice");
        Assert.Equal((ReviewState.Approved, "alice", Now, 0, 1.0), (approved.State, approved.DecidedBy, approved.DecidedAt, Assert.Single(approved.Picks!), approved.PickBits));
        var again = await Assert.ThrowsAsync<ReviewRefusedException>(() => reviews.RejectAsync("loop/0/3/1", "bob"));
        Assert.Equal("review loop/0/3/1 was already approved by alice at 2026-11-29 12:00:00Z", again.Message);
        Assert.Equal("alice", (await store.GetReviewAsync("loop/0/3/1"))!.DecidedBy);
    }

    [Fact]
    public async Task APick_OfAFailedOrMissingCandidate_OrBeyondTheBudget_IsRefused_AndChangesNothing()
    {
        var (store, reviews) = await SetUpAsync(maxBits: 1.5);
        var failed = await Assert.ThrowsAsync<ReviewRefusedException>(() => reviews.ApproveAsync("loop/0/3/1", [1, 2], "alice"));
        Assert.Equal("--pick: review loop/0/3/1 has no candidate 2 (its candidates are 0, 1)", failed.Message);
        var twice = await Assert.ThrowsAsync<ReviewRefusedException>(() => reviews.ApproveAsync("loop/0/3/1", [1, 1], "alice"));
        Assert.Equal("--pick: give each candidate to keep once, e.g. --pick 2 or --pick 0,2", twice.Message);
        await store.AppendDayAsync(StoreRecords.Day(0, 1, "day one") with { Bits = 1 });
        var over = await Assert.ThrowsAsync<ReviewRefusedException>(() => reviews.ApproveAsync("loop/0/3/1", [1], "alice"));
        Assert.StartsWith("--pick: picking 1 of 2 costs 1 bits, but branch 0 has spent 1 of its 1.5;", over.Message, StringComparison.Ordinal);
        Assert.Equal(ReviewState.Pending, (await store.GetReviewAsync("loop/0/3/1"))!.State);
        Assert.Equal(ReviewState.Approved, (await reviews.ApproveAsync("loop/0/3/1", null, "alice")).State); // the selection's own choice is still possible
    }

    [Fact]
    public async Task AStoppedLoop_OrAnUnknownId_CannotBeDecided()
    {
        var (_, reviews) = await SetUpAsync(maxBits: 0, state: "Stopped");
        Assert.Equal("loop 'loop' is stopped: its held days can no longer be decided",
            (await Assert.ThrowsAsync<ReviewRefusedException>(() => reviews.ApproveAsync("loop/0/3/1", null, "alice"))).Message);
        Assert.Equal("no review 'x' (see 'mimicry review list')", (await Assert.ThrowsAsync<ReviewRefusedException>(() => reviews.RejectAsync("x", "alice"))).Message);
    }

    [Fact]
    public async Task ADecision_ForADayAlreadyCommitted_IsRefused_AndTheReviewIsMarkedSuperseded()
    {
        // Another activation of the branch committed day 3 while this review of day 3 waited.
        var (store, reviews) = await SetUpAsync(maxBits: 0);
        for (var day = 1; day <= 3; day++)
        {
            await store.AppendDayAsync(StoreRecords.Day(0, day, $"day {day}"));
        }
        var refused = await Assert.ThrowsAsync<ReviewRefusedException>(() => reviews.ApproveAsync("loop/0/3/1", null, "alice"));
        Assert.Equal("review loop/0/3/1 is stale: day 3 of branch 0 was committed without it, so there is nothing left to decide", refused.Message);
        var stored = (await store.GetReviewAsync("loop/0/3/1"))!;
        Assert.Equal((ReviewState.Superseded, null), (stored.State, stored.DecidedBy));
        Assert.Empty(await reviews.ListAsync("loop", pendingOnly: true));
        Assert.Equal("review loop/0/3/1 was already superseded at 2026-11-29 12:00:00Z",
            (await Assert.ThrowsAsync<ReviewRefusedException>(() => reviews.RejectAsync("loop/0/3/1", "bob"))).Message);
    }
}
