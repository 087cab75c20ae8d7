using Mimicry.Grains;
using Mimicry.Grains.Reviews;
using Mimicry.Spec;
using Mimicry.Specs;
using Mimicry.Status;
using Mimicry.Storage;

namespace Mimicry.Cli.Commands;

/// <summary>The review operations, on the local store or through the cluster's gateway; refusals become one-sentence input errors.</summary>
internal abstract class ReviewQueue
{
    public abstract Task<IReadOnlyList<Review>> ListAsync(string? loop, bool pendingOnly);

    public abstract Task<Review?> GetAsync(string id);

    public abstract Task<Review> ApproveAsync(string id, IReadOnlyList<int>? picks, string by);

    public abstract Task<Review> RejectAsync(string id, string by);

    /// <summary>The spec of the review's loop, to tell the reviewer what a rejection does.</summary>
    protected abstract Task<LoopSpec?> SpecAsync(string loop);

    /// <summary>Tells the reviewer how the loop goes on from here.</summary>
    public abstract Task AfterDecisionAsync(Review review);

    public async Task<string> OnRejectAsync(Review review) =>
        (await SpecAsync(review.Loop))?.Review?.OnReject == RejectPolicy.Stop
            ? $"branch {review.Branch} stops (review.onReject: stop)"
            : $"branch {review.Branch} runs day {review.Day} again as attempt {review.Attempt + 1} with fresh session randomness (review.onReject: rerun; the re-roll is charged in bits)";

    protected static async Task<T> Refusable<T>(Func<Task<T>> action)
    {
        try
        {
            return await action();
        }
        catch (Exception ex) when (ex is ReviewRefusedException or ArgumentException)
        {
            throw new UserInputException(ex.Message);
        }
    }
}

/// <summary>Decisions written straight to the data folder; the loop acts on them when it next runs.</summary>
internal sealed class LocalReviewQueue(INotebookStore store, string folder) : ReviewQueue
{
    private readonly ReviewService _reviews = new(store, MimicryClock.System);

    public override Task<IReadOnlyList<Review>> ListAsync(string? loop, bool pendingOnly) => _reviews.ListAsync(loop, pendingOnly);

    public override Task<Review?> GetAsync(string id) => _reviews.GetAsync(id);

    public override Task<Review> ApproveAsync(string id, IReadOnlyList<int>? picks, string by) => Refusable(() => _reviews.ApproveAsync(id, picks, by));

    public override Task<Review> RejectAsync(string id, string by) => Refusable(() => _reviews.RejectAsync(id, by));

    protected override async Task<LoopSpec?> SpecAsync(string loop) => await store.GetLoopAsync(loop) is { } r ? SpecJson.Deserialize(r.SpecJson) : null;

    public override async Task AfterDecisionAsync(Review review)
    {
        var stillHeld = (await store.ListReviewsAsync(review.Loop, pendingOnly: true)).Count;
        var waiting = stillHeld > 0 ? $" ({stillHeld} more held day(s) of this loop wait for review)" : "";
        await Console.Error.WriteLineAsync(DataFolderLock.IsHeld(folder)
            ? $"The 'mimicry run' using {folder} picks the decision up at its next watch{waiting}."
            : $"Continue the loop with: mimicry resume {review.Loop} --data {folder}{waiting}");
    }
}

/// <summary>Decisions through the cluster: the review grain restarts the branch at once.</summary>
internal sealed class ClusterReviewQueue(IReviewGrain grain, IGrainFactory grains) : ReviewQueue
{
    public override Task<IReadOnlyList<Review>> ListAsync(string? loop, bool pendingOnly) => grain.List(loop, pendingOnly);

    public override Task<Review?> GetAsync(string id) => grain.Get(id);

    public override Task<Review> ApproveAsync(string id, IReadOnlyList<int>? picks, string by) => Refusable(() => grain.Approve(id, picks, by));

    public override Task<Review> RejectAsync(string id, string by) => Refusable(() => grain.Reject(id, by));

    protected override async Task<LoopSpec?> SpecAsync(string loop) =>
        await grains.GetGrain<ICatalogGrain>(0).GetSpecJson(loop) is { } json ? SpecJson.Deserialize(json) : null;

    public override Task AfterDecisionAsync(Review review) =>
        Console.Error.WriteLineAsync($"Branch {review.Branch} of loop '{review.Loop}' goes on in the cluster.");
}
