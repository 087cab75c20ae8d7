using Mimicry.Status;
using Orleans.Concurrency;

namespace Mimicry.Grains.Reviews;

/// <summary>The reviewers' queue on the service: any silo answers; a decision restarts the branch it concerns.</summary>
[StatelessWorker]
public sealed class ReviewGrain(ReviewService reviews) : Grain, IReviewGrain
{
    Task<IReadOnlyList<Review>> IReviewGrain.List(string? loop, bool pendingOnly) => reviews.ListAsync(loop, pendingOnly);

    Task<Review?> IReviewGrain.Get(string id) => reviews.GetAsync(id);

    Task<Review> IReviewGrain.Approve(string id, IReadOnlyList<int>? picks, string by) => DecideAsync(() => reviews.ApproveAsync(id, picks, by));

    Task<Review> IReviewGrain.Reject(string id, string by) => DecideAsync(() => reviews.RejectAsync(id, by));

    private async Task<Review> DecideAsync(Func<Task<Review>> decide)
    {
        Review review;
        try
        {
            review = await decide();
        }
        catch (ReviewRefusedException ex)
        {
            if (ex.Superseded is { } stale)
            {
                // Its branch may be held on it: let the branch look at the store again and go on.
                await GrainFactory.GetGrain<ILoopGrain>(stale.Loop).OnReviewDecided(stale.Branch);
            }
            // Crosses the wire as a plain exception type the client can show as is.
            throw new ArgumentException(ex.Message);
        }
        await GrainFactory.GetGrain<ILoopGrain>(review.Loop).OnReviewDecided(review.Branch);
        return review;
    }
}
