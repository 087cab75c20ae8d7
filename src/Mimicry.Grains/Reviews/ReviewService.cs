using System.Globalization;
using Mimicry.Grains.Branches;
using Mimicry.Selection;
using Mimicry.Spec;
using Mimicry.SpecReading;
using Mimicry.Status;
using Mimicry.Storage;
using Mimicry.Simulation;

namespace Mimicry.Grains.Reviews;

/// <summary>A refused reviewer action; the message is one sentence for the person.</summary>
/// <param name="superseded">Set when the refusal marked the review superseded: its branch may be waiting on it and should look again.</param>
public sealed class ReviewRefusedException(string message, Review? superseded = null) : Exception(message)
{
    public Review? Superseded { get; } = superseded;
}

/// <summary>
/// The reviewers' decisions on held days: approve (optionally picking a candidate, charged in bits) or reject. Used
/// by the review grain and, in embedded mode, by the CLI directly on the store; the store's compare-and-set lets
/// only one decision win. Deciding changes only the review: the branch acts on it when it next starts.
/// </summary>
public sealed class ReviewService(INotebookStore store, MimicryClock clock)
{
    public Task<IReadOnlyList<Review>> ListAsync(string? loop, bool pendingOnly) => store.ListReviewsAsync(loop, pendingOnly);

    public Task<Review?> GetAsync(string id) => store.GetReviewAsync(id);

    /// <param name="picks">The candidates to keep instead of the selection's choice (null: keep its choice).</param>
    public async Task<Review> ApproveAsync(string id, IReadOnlyList<int>? picks, string by)
    {
        var (review, loop) = await PendingAsync(id);
        double pickBits = 0;
        if (picks is not null)
        {
            var offered = review.Candidates.Where(c => c.Text is not null).Select(c => c.Slot).ToList();
            if (picks.Count == 0 || picks.Distinct().Count() != picks.Count)
            {
                throw new ReviewRefusedException("--pick: give each candidate to keep once, e.g. --pick 2 or --pick 0,2");
            }
            if (picks.Where(k => !offered.Contains(k)).Select(k => (int?)k).FirstOrDefault() is { } unknown)
            {
                throw new ReviewRefusedException($"--pick: review {id} has no candidate {unknown} (its candidates are {string.Join(", ", offered)})");
            }
            if (review.Shortlist is { } shortlist && picks.Where(k => !shortlist.Contains(k)).Select(k => (int?)k).FirstOrDefault() is { } outside)
            {
                throw new ReviewRefusedException($"--pick: review {id} offers the critic's top {shortlist.Count}, candidates {string.Join(", ", shortlist)}; candidate {outside} is not among them");
            }
            picks = [.. picks.Order()];
            // Counted over every candidate that arrived, shortlisted or not: the kept entry is k of all of them.
            pickBits = Bits.Subset(offered.Count, picks.Count);
            await CheckBudgetAsync(review, SpecJson.Deserialize(loop.SpecJson), picks.Count, pickBits + review.RerollBits);
        }
        var decided = review with { State = ReviewState.Approved, DecidedBy = by, DecidedAt = clock.Time.GetUtcNow(), Picks = picks, PickBits = pickBits };
        return await DecideAsync(decided);
    }

    public async Task<Review> RejectAsync(string id, string by)
    {
        var (review, _) = await PendingAsync(id);
        return await DecideAsync(review with { State = ReviewState.Rejected, DecidedBy = by, DecidedAt = clock.Time.GetUtcNow() });
    }

    /// <summary>The review, if it can still be decided, and its loop's record.</summary>
    private async Task<(Review Review, LoopRecord Loop)> PendingAsync(string id)
    {
        var review = await store.GetReviewAsync(id) ?? throw new ReviewRefusedException($"no review '{id}' (see 'mimicry review list')");
        if (review.State != ReviewState.Pending)
        {
            throw new ReviewRefusedException(string.Create(CultureInfo.InvariantCulture,
                $"review {id} was already {review.State.ToString().ToLowerInvariant()}{(review.DecidedBy is null ? "" : $" by {review.DecidedBy}")} at {review.DecidedAt:yyyy-MM-dd HH:mm:ss}Z"));
        }
        var loop = await store.GetLoopAsync(review.Loop);
        if (loop is not { State: RunState.Running or RunState.Paused })
        {
            throw new ReviewRefusedException($"loop '{review.Loop}' is {loop?.State.ToString().ToLowerInvariant() ?? "gone"}: its held days can no longer be decided");
        }
        var notebook = await NotebookLineage.LoadAsync(store, SpecJson.Deserialize(loop.SpecJson), review.Branch);
        if (notebook.DaysDone >= review.Day)
        {
            // A duplicate activation committed the day from other candidates: deciding this review would release nothing.
            await SupersedeAsync(store, review, clock.Time.GetUtcNow());
            throw new ReviewRefusedException($"review {id} is stale: day {review.Day} of branch {review.Branch} was committed without it, so there is nothing left to decide", review);
        }
        return (review, loop);
    }

    /// <summary>Marks a pending review whose day is already committed; false if it was decided meanwhile.</summary>
    public static async Task<bool> SupersedeAsync(IReviewStore store, Review review, DateTimeOffset now)
    {
        var done = await store.UpdateReviewAsync(review with { State = ReviewState.Superseded, DecidedAt = now }, ReviewState.Pending);
        if (done)
        {
            Waited(review.Loop);
        }
        return done;
    }

    private static void Waited(string loop) =>
        Mimicry.Telemetry.MimicryTelemetry.ReviewsWaiting.Add(-1, new KeyValuePair<string, object?>(Mimicry.Telemetry.MimicryTelemetry.LoopTag, loop));

    /// <summary>A pick is more optimization pressure: refuse it when the branch's share of the bits budget cannot pay.</summary>
    private async Task CheckBudgetAsync(Review review, LoopSpec spec, int kept, double bits)
    {
        var budget = BranchBudget.For(spec);
        var notebook = await NotebookLineage.LoadAsync(store, spec, review.Branch);
        if (budget.RefuseSelection(notebook.BitsSpent, bits) is not null)
        {
            throw new ReviewRefusedException(string.Create(CultureInfo.InvariantCulture,
                $"--pick: picking {kept} of {review.Candidates.Count(c => c.Text is not null)} costs {bits:0.###} bits, but branch {review.Branch} has spent {notebook.BitsSpent:0.###} of its {budget.MaxBits:0.###}; approve without --pick to keep the selection's choice ({review.SelectionBits + review.RerollBits:0.###} bits)"));
        }
    }

    private async Task<Review> DecideAsync(Review decided)
    {
        if (!await store.UpdateReviewAsync(decided, ReviewState.Pending))
        {
            var now = await store.GetReviewAsync(decided.Id);
            throw new ReviewRefusedException($"review {decided.Id} was decided meanwhile ({now?.State.ToString().ToLowerInvariant()} by {now?.DecidedBy})");
        }
        Waited(decided.Loop);
        return decided;
    }
}
