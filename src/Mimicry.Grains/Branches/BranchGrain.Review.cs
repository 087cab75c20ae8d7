using Mimicry.Selection;
using Mimicry.Spec;
using Mimicry.Status;
using Mimicry.Telemetry;

namespace Mimicry.Grains.Branches;

/// <summary>A branch and its reviews: acting on the decision about a held day when the branch starts, and holding a day.</summary>
public sealed partial class BranchGrain
{
    /// <summary>
    /// Before the first day of this run: a stale review leaves the desk; a held next day is waited for (pending),
    /// stops the branch or is run again (rejected), or is committed (approved). Returns an end when the branch must not
    /// go on, the notebook as it now stands, and what a re-run of the day starts from.
    /// </summary>
    private async Task<(BranchEnd? End, BranchNotebook Notebook, int Reroll, DaySpend Rejected)> ResumeFromReviewAsync(
        LoopSpec spec, int branch, BranchBudget budget, BranchNotebook notebook)
    {
        var latest = await store.GetLatestReviewAsync(spec.Name, branch);
        if (latest is { State: ReviewState.Pending } stale && stale.Day <= notebook.DaysDone)
        {
            // Another activation committed the day this review holds: it can release nothing, so it leaves the desk.
            await Reviews.ReviewService.SupersedeAsync(store, stale, clock.Time.GetUtcNow());
        }
        if (latest is { } held && held.Day == notebook.DaysDone + 1)
        {
            // The next day was held for review: act on the decision, or keep waiting for one.
            switch (held.State)
            {
                case ReviewState.Pending:
                    return (new BranchEnd(RunState.Paused, $"waiting for review {held.Id}"), notebook, 0, default);
                case ReviewState.Rejected when spec.Review?.OnReject == RejectPolicy.Stop:
                    return (new BranchEnd(RunState.Stopped, $"review: day {held.Day} rejected by {held.DecidedBy}"), notebook, 0, default);
                case ReviewState.Rejected:
                    return (null, notebook, held.Attempt, DaySpend.Through(spec, held));
                default:
                    var released = DayLogic.Release(spec, held, notebook, budget, DaySpend.Before(spec, held));
                    if (released.End is { } refused)
                    {
                        return (refused, notebook, 0, default);
                    }
                    return (null, await CommitAsync(spec, branch, released.Day!, notebook), 0, default);
            }
        }
        return (null, notebook, 0, default);
    }

    /// <summary>Stores the review that holds a day back from the notebook, counts it, and pauses the branch on it.</summary>
    private async Task<BranchEnd> HoldAsync(LoopSpec spec, Review review)
    {
        await store.AddReviewAsync(review);
        var loopTag = new KeyValuePair<string, object?>(MimicryTelemetry.LoopTag, spec.Name);
        MimicryTelemetry.Held.Add(1, loopTag, new("mimicry.review.quarantine", review.Quarantined));
        MimicryTelemetry.ReviewsWaiting.Add(1, loopTag);
        return new BranchEnd(RunState.Paused, $"waiting for review {review.Id}");
    }

    private static void CountTripwires(string loop, IReadOnlyList<ReviewCandidate> screened)
    {
        foreach (var candidate in screened)
        {
            foreach (var verdict in candidate.Verdicts)
            {
                if (verdict.Tripped)
                {
                    MimicryTelemetry.TripwireHits.Add(1, new(MimicryTelemetry.LoopTag, loop), new(MimicryTelemetry.DetectorTag, verdict.Detector));
                }
            }
        }
    }
}
