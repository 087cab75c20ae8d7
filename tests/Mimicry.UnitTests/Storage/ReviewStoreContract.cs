using Mimicry.Status;
using Mimicry.Storage;
using static Mimicry.UnitTests.Storage.StoreRecords;

namespace Mimicry.UnitTests.Storage;

/// <summary>
/// What every store's <see cref="IReviewStore"/> must do, whatever keeps the rows. Reviews: added once, listed in order, the latest per branch, decided by compare-and-set. Each store has a subclass that
/// says how to open a fresh one (StoreContracts.*.cs); the facts run against all of them.
/// </summary>
public abstract class ReviewStoreContract
{
    protected abstract INotebookStore OpenFresh();

    [Fact]
    public async Task Reviews_AreAddedOnce_ListedInOrder_AndRoundTripWhole()
    {
        await using var store = OpenFresh();
        Assert.True(await store.AddReviewAsync(Review("loop", 1, 3, minute: 2)));
        Assert.True(await store.AddReviewAsync(Review("loop", 0, 3, minute: 1)));
        Assert.True(await store.AddReviewAsync(Review("other", 0, 3)));
        Assert.False(await store.AddReviewAsync(Review("loop", 1, 3) with { Reasons = ["a second copy"] }));
        Assert.Equal(["loop/0/3/1", "loop/1/3/1"], (await store.ListReviewsAsync("loop", pendingOnly: false)).Select(r => r.Id));
        Assert.Equal(3, (await store.ListReviewsAsync(null, pendingOnly: true)).Count);
        var stored = await store.GetReviewAsync("loop/1/3/1");
        Assert.Equal(RecordJson.Serialize(Review("loop", 1, 3, minute: 2)), RecordJson.Serialize(stored!));
        Assert.True(stored!.Quarantined);
        Assert.Null(await store.GetReviewAsync("nope"));
    }

    [Fact]
    public async Task LatestReview_IsTheBranchsHighestDayThenAttempt()
    {
        await using var store = OpenFresh();
        Assert.Null(await store.GetLatestReviewAsync("loop", 0));
        await store.AddReviewAsync(Review("loop", 0, 3, attempt: 1));
        await store.AddReviewAsync(Review("loop", 0, 3, attempt: 2));
        await store.AddReviewAsync(Review("loop", 0, 2, attempt: 5));
        await store.AddReviewAsync(Review("loop", 1, 9));
        Assert.Equal("loop/0/3/2", (await store.GetLatestReviewAsync("loop", 0))!.Id);
    }

    [Fact]
    public async Task ReviewDecisions_AreCompareAndSet_OnTheState()
    {
        await using var store = OpenFresh();
        var pending = Review("loop", 0, 3);
        await store.AddReviewAsync(pending);
        var approved = pending with { State = ReviewState.Approved, DecidedBy = "alice", DecidedAt = pending.Created.AddMinutes(5), Picks = [0, 1], PickBits = 1.585 };
        Assert.True(await store.UpdateReviewAsync(approved, ReviewState.Pending));
        Assert.False(await store.UpdateReviewAsync(pending with { State = ReviewState.Rejected, DecidedBy = "bob" }, ReviewState.Pending));
        var now = await store.GetReviewAsync(pending.Id);
        Assert.Equal((ReviewState.Approved, "alice"), (now!.State, now.DecidedBy));
        Assert.Equal([0, 1], now.Picks!);
        Assert.Empty(await store.ListReviewsAsync("loop", pendingOnly: true));
        Assert.Single(await store.ListReviewsAsync("loop", pendingOnly: false));
    }
}
