namespace Mimicry.Tripwires.Learned;

/// <summary>
/// Scores every piece of a text (<see cref="TextFeatures.Pieces"/>) under one or more linear models whose weights are
/// interleaved (model m of k at <c>weights[feature * k + m]</c>, so one memory access serves all of them), and keeps
/// each model's best piece. Each sentence is read once: a pair's margin is its two sentences' margins plus the
/// features across their boundary. No allocation per call (the lists are per thread).
/// </summary>
internal static class PieceScoring
{
    [ThreadStatic]
    private static List<int>? t_features;

    [ThreadStatic]
    private static List<Range>? t_sentences;

    public static void Best(string text, float[] weights, ReadOnlySpan<double> bias, Span<double> best, Span<Range> where)
    {
        var k = bias.Length;
        best.Fill(double.NegativeInfinity);
        where.Clear();
        var features = t_features ??= new List<int>(64);
        var sentences = t_sentences ??= new List<Range>(16);
        TextFeatures.Sentences(text, sentences);
        Span<double> previous = stackalloc double[k];
        Span<double> current = stackalloc double[k];
        Span<double> pair = stackalloc double[k];
        TextFeatures.Edges previousEdges = default;
        for (var i = 0; i < sentences.Count; i++)
        {
            var edges = TextFeatures.Extract(text.AsSpan()[sentences[i]], features);
            bias.CopyTo(current);
            Add(weights, features, k, current);
            Keep(current, sentences[i], best, where);
            if (i > 0)
            {
                features.Clear();
                TextFeatures.Boundary(previousEdges, edges, features);
                for (var m = 0; m < k; m++)
                {
                    pair[m] = previous[m] + current[m] - bias[m];
                }
                Add(weights, features, k, pair);
                Keep(pair, new Range(sentences[i - 1].Start, sentences[i].End), best, where);
            }
            current.CopyTo(previous);
            previousEdges = edges;
        }
    }

    private static void Add(float[] weights, List<int> features, int k, Span<double> sums)
    {
        foreach (var f in features)
        {
            var at = f * k;
            for (var m = 0; m < k; m++)
            {
                sums[m] += weights[at + m];
            }
        }
    }

    private static void Keep(ReadOnlySpan<double> margins, Range piece, Span<double> best, Span<Range> where)
    {
        for (var m = 0; m < margins.Length; m++)
        {
            if (margins[m] > best[m])
            {
                best[m] = margins[m];
                where[m] = piece;
            }
        }
    }
}
