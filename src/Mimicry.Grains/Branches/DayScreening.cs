using Mimicry.Selection;
using Mimicry.Spec;
using Mimicry.Status;
using Mimicry.Storage;
using Mimicry.Tripwires;

namespace Mimicry.Grains.Branches;

/// <summary>
/// What stands between a day's candidates and the notebook: the tripwires over every candidate, and the review
/// gate. A day with a reason to hold is stored as a <see cref="Review"/> instead of being committed (docs/reviews.md).
/// </summary>
public static class DayScreening
{
    /// <summary>
    /// Tripwires in a loop whose spec has no <c>tripwires</c> section: the two text detectors. The embedding
    /// detector loads a model and costs milliseconds per candidate, so it runs only when the section asks for it.
    /// </summary>
    public static readonly TripwireSpec LoopDefault = new(true, true, 0, [], []);

    /// <summary>How many of the branch's latest entries the out-of-distribution test compares with, besides the spec's references.</summary>
    public const int RecentEntries = 5;

    public static TripwireSpec Settings(LoopSpec spec) => spec.Tripwires ?? LoopDefault;

    /// <summary>True when screening needs the embedding model (run it off the grain scheduler then).</summary>
    public static bool NeedsModel(LoopSpec spec) => Settings(spec).OutOfDistribution > 0;

    public static IReadOnlyList<ReviewCandidate> Screen(LoopSpec spec, DateTimeOffset anchor, IReadOnlyList<Candidate> candidates, IReadOnlyList<string> notebook, Func<string, string, double>? similarity)
    {
        var settings = Settings(spec);
        IReadOnlyList<string> references = [];
        if (settings.OutOfDistribution > 0)
        {
            // The researcher's own words: their description, the question, and the branch's latest entries.
            references = new[] { spec.Researcher.Description, spec.Question }.Where(t => t.Length > 0).Concat(notebook.Skip(Math.Max(0, notebook.Count - RecentEntries))).ToList();
        }
        return candidates.Select(c => new ReviewCandidate(c.Slot, c.Text, c.InputTokens, c.OutputTokens,
            c.Text is null ? [] : TripwireSet.Check(c.Text, anchor, settings, references, similarity), c.CachedInputTokens)).ToList();
    }

    /// <summary>The detector name of <c>tripwires.modelJudge</c>.</summary>
    public const string ModelJudge = "model-judge";

    /// <summary>Adds the tripwire model judge's verdict to each candidate it was asked about: a slot it did not pass trips.</summary>
    public static IReadOnlyList<ReviewCandidate> WithModelJudge(IReadOnlyList<ReviewCandidate> screened, Mimicry.Simulation.JudgeVerdict judged) =>
        [.. screened.Select(c => c.Text is null ? c : c with
        {
            Verdicts = [.. c.Verdicts, judged.Valid.Contains(c.Slot)
                ? new TripwireVerdict(ModelJudge, false, "the model judge passed it")
                : new TripwireVerdict(ModelJudge, true, "the model judge did not pass it (it answered no, or never gave a readable answer)")],
        })];

    /// <summary>Why the day must wait for a person (empty: it need not).</summary>
    /// <param name="shortlist">The critic's top k when the loop offers them to a person (<c>review.top</c>): the day always waits then.</param>
    public static IReadOnlyList<string> Reasons(LoopSpec spec, int day, IReadOnlyList<ReviewCandidate> screened, IReadOnlyList<int>? shortlist = null)
    {
        var reasons = new List<string>();
        if (shortlist is not null)
        {
            reasons.Add($"review.top: the critic's top {shortlist.Count} of {screened.Count(c => c.Text is not null)} for a person to pick from");
        }
        if (spec.Review is { EveryDays: > 0 } review && day % review.EveryDays == 0)
        {
            reasons.Add(review.EveryDays == 1 ? "review gate: every day" : $"review gate: every {review.EveryDays} days");
        }
        foreach (var c in screened)
        {
            var hits = c.Verdicts.Where(v => v.Tripped).Select(v => v.Detector).ToList();
            if (hits.Count > 0)
            {
                reasons.Add($"tripwire: {string.Join(", ", hits)} on candidate {c.Slot}");
            }
        }
        return reasons;
    }

    /// <summary>The review that holds <paramref name="decided"/> (what the selection would commit) back from the notebook.</summary>
    /// <param name="rejected">What earlier attempts of the day were rejected for; the review carries it to the day finally kept.</param>
    public static Review Hold(LoopSpec spec, DayRecord decided, int reroll, IReadOnlyList<ReviewCandidate> screened, IReadOnlyList<string> reasons, DateTimeOffset now,
        DaySpend rejected = default, IReadOnlyList<int>? shortlist = null)
    {
        var rerollBits = Bits.Rerolls(reroll);
        return new Review(Review.IdFor(spec.Name, decided.Branch, decided.Day, reroll + 1), spec.Name, decided.Branch, decided.Day, reroll + 1, reasons,
            decided.Anchor, decided.Selection, decided.Candidates, decided.Bits - rerollBits, rerollBits, decided.Entries.Select(e => e.Slot).ToList(), screened, now, ReviewState.Pending,
            EarlierSessions: rejected.Sessions, EarlierInputTokens: rejected.InputTokens, EarlierOutputTokens: rejected.OutputTokens, EarlierCost: rejected.Cost, Shortlist: shortlist, EarlierCachedInputTokens: rejected.CachedInputTokens);
    }
}
