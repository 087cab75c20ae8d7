using Mimicry.Spec;

namespace Mimicry.Tripwires;

/// <summary>How one group of a corpus fared: texts, how many tripped, and the share (recall for trips, false hits for benign).</summary>
public sealed record CorpusScore(string Category, string? Subcategory, bool ShouldTrip, int Texts, int Tripped)
{
    public double Rate => Texts == 0 ? 0 : (double)Tripped / Texts;
}

/// <summary>A text the detectors got wrong: a trip they missed, or a benign text they flagged (and which detector, on which words).</summary>
public sealed record CorpusMiss(string Id, string Category, string Subcategory, bool ShouldTrip, IReadOnlyList<TripwireVerdict> Tripped);

public sealed record CorpusReport(IReadOnlyList<CorpusScore> Scores, CorpusScore Trips, CorpusScore Benign, IReadOnlyList<CorpusMiss> Misses);

/// <summary>
/// Scores the offline detectors on a labelled corpus (`mimicry tripwires eval`): a text counts as caught when any
/// detector trips. Recall per trip category and subcategory, false hits per benign subcategory.
/// </summary>
public static class TripwireEvaluation
{
    public static CorpusReport Run(IReadOnlyList<CorpusText> corpus, TripwireSpec? settings = null)
    {
        var spec = settings ?? TripwireSet.Default;
        var results = corpus.Select(t => (Text: t, Verdicts: TripwireSet.Check(t.Text, t.Anchor, spec, [], null).Where(v => v.Tripped).ToList())).ToList();
        var scores = new List<CorpusScore>();
        foreach (var category in results.GroupBy(r => (r.Text.Category, r.Text.ShouldTrip)).OrderBy(g => g.Key.ShouldTrip ? 0 : 1).ThenBy(g => g.Key.Category, StringComparer.Ordinal))
        {
            scores.Add(new CorpusScore(category.Key.Category, null, category.Key.ShouldTrip, category.Count(), category.Count(r => r.Verdicts.Count > 0)));
            foreach (var sub in category.GroupBy(r => r.Text.Subcategory).OrderBy(g => g.Key, StringComparer.Ordinal))
            {
                scores.Add(new CorpusScore(category.Key.Category, sub.Key, category.Key.ShouldTrip, sub.Count(), sub.Count(r => r.Verdicts.Count > 0)));
            }
        }
        var trips = results.Where(r => r.Text.ShouldTrip).ToList();
        var benign = results.Where(r => !r.Text.ShouldTrip).ToList();
        var misses = results.Where(r => r.Text.ShouldTrip == (r.Verdicts.Count == 0))
            .Select(r => new CorpusMiss(r.Text.Id, r.Text.Category, r.Text.Subcategory, r.Text.ShouldTrip, r.Verdicts)).ToList();
        return new CorpusReport(scores,
            new CorpusScore("all trips", null, true, trips.Count, trips.Count(r => r.Verdicts.Count > 0)),
            new CorpusScore("all benign", null, false, benign.Count, benign.Count(r => r.Verdicts.Count > 0)),
            misses);
    }
}
