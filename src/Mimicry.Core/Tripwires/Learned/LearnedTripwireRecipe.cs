namespace Mimicry.Tripwires.Learned;

/// <summary>
/// How the shipped classifiers are made from labelled development texts (tests/tripwire-corpus/README.md), so that
/// anyone can make them again and check they match: `dotnet run --project tests/Mimicry.Benchmarks -- --train-tripwires`
/// writes them, and a unit test trains them again and compares. Only development sets go in; the held-back sets are
/// scored, never learned from.
/// <list type="bullet">
/// <item>Reader-directed: positive = the <c>reader</c> texts, negative = everything else.</item>
/// <item>Told from later: positive = the <c>future</c> texts without an explicit time (relative-future, later-vantage,
/// future-event), negative = benign and reader texts. Texts with a full date, month, year, season or quarter are left
/// out: those are the time references' job, which compares with the anchor; a text model that learned "a year
/// means the future" would trip on every past date.</item>
/// </list>
/// Each threshold lets at most <see cref="FalseHitRate"/> of the benign development texts trip, read from
/// out-of-batch scores (a model trained on the other batches).
/// </summary>
public static class LearnedTripwireRecipe
{
    public const double FalseHitRate = 0.015;

    /// <summary>The development sets of tests/tripwire-corpus/ the shipped classifiers learn from; never the held-back ones.</summary>
    public static readonly IReadOnlyList<string> DevelopmentSets = ["dev.jsonl", "dev2.jsonl", "train-a.jsonl", "train-b.jsonl", "train-c.jsonl", "train-d.jsonl", "train-e.jsonl", "train-f.jsonl", "train-g.jsonl", "train-h.jsonl", "train-i.jsonl", "train-j.jsonl", "train-k.jsonl", "train-l.jsonl", "train-m.jsonl", "train-n.jsonl", "train-o.jsonl"];

    /// <summary>Reads the development sets from the corpus folder, each text with its batch.</summary>
    public static IReadOnlyList<(string Batch, CorpusText Text)> ReadDevelopment(string corpusFolder) =>
        [.. DevelopmentSets.SelectMany(f => TripwireCorpus.Parse(File.ReadAllText(Path.Combine(corpusFolder, f)), f).Select(t => (Path.GetFileNameWithoutExtension(f), t)))];

    public static readonly IReadOnlySet<string> ToldFromLater = new HashSet<string>(StringComparer.Ordinal) { "relative-future", "later-vantage", "future-event" };

    /// <param name="development">Labelled texts, each with the batch (file) it was written in.</param>
    public static (PieceClassifier Reader, PieceClassifier Future) Train(IReadOnlyList<(string Batch, CorpusText Text)> development)
    {
        var (reader, future) = Examples(development);
        return (Make(reader), Make(future));
    }

    /// <summary>
    /// Which development texts each classifier trips when it did not learn from their batch (a model trained on the
    /// other batches, at the calibrated threshold): how the classifiers do on wordings they have not seen.
    /// </summary>
    public static IReadOnlySet<string> OutOfBatchTrips(IReadOnlyList<(string Batch, CorpusText Text)> development)
    {
        var (reader, future) = Examples(development);
        var ids = new Dictionary<TrainingText, string>(ReferenceEqualityComparer.Instance);
        foreach (var list in new[] { reader, future })
        {
            var k = 0;
            foreach (var d in development.Where(d => list == reader || Keeps(d.Text)))
            {
                ids[list[k++]] = d.Text.Id;
            }
        }
        var tripped = new HashSet<string>(StringComparer.Ordinal);
        foreach (var list in new[] { reader, future })
        {
            var (threshold, scores) = PieceClassifierTraining.Calibrate(list, FalseHitRate);
            tripped.UnionWith(scores.Where(s => s.Margin > threshold).Select(s => ids[s.Text]));
        }
        return tripped;
    }

    private static bool Keeps(CorpusText t) => t.Category != "future" || ToldFromLater.Contains(t.Subcategory);

    private static (List<TrainingText> Reader, List<TrainingText> Future) Examples(IReadOnlyList<(string Batch, CorpusText Text)> development) =>
        ([.. development.Select(d => new TrainingText(d.Text.Text, d.Text.Category == "reader", !d.Text.ShouldTrip, d.Batch))],
         [.. development.Where(d => Keeps(d.Text)).Select(d => new TrainingText(d.Text.Text, d.Text.Category == "future", !d.Text.ShouldTrip, d.Batch))]);

    private static PieceClassifier Make(IReadOnlyList<TrainingText> texts)
    {
        var (threshold, _) = PieceClassifierTraining.Calibrate(texts, FalseHitRate);
        return PieceClassifierTraining.Train(texts, threshold);
    }
}
