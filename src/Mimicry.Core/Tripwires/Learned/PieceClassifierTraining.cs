namespace Mimicry.Tripwires.Learned;

/// <summary>One labelled text to learn from; <paramref name="Group"/> is the batch it was written in (for cross-validation).</summary>
public sealed record TrainingText(string Text, bool Positive, bool Benign, string Group);

/// <summary>
/// Trains a <see cref="PieceClassifier"/> from labelled texts, deterministically (a fixed order per epoch from a
/// fixed seed, plain SGD on the logistic loss with L2 decay on the weights it touches). A text is labelled, its
/// sentences are not: every piece of a negative text is a negative example, and of a positive text only the piece
/// the model currently scores highest is a positive one (multiple-instance learning: somewhere in a trip text is the
/// sentence that trips it, and the rest of it is ordinary notes). The first epochs, before the model can tell which
/// piece that is, count every piece of a positive text as a fraction of a positive example.
/// </summary>
public static class PieceClassifierTraining
{
    public sealed record Options(int Epochs = 24, int WarmEpochs = 3, double Rate = 0.1, double Decay = 3e-4, int Seed = 20261201);

    /// <summary>Trains on <paramref name="texts"/> with the given piece threshold.</summary>
    public static PieceClassifier Train(IReadOnlyList<TrainingText> texts, float threshold, Options? options = null)
    {
        options ??= new Options();
        var bags = texts.Select(t => (Pieces: TextFeatures.PieceFeatures(t.Text), t.Positive)).ToArray();
        var weights = new double[1 << TextFeatures.Bits];
        double bias = 0;
        var random = new Random(options.Seed);
        var order = Enumerable.Range(0, bags.Length).ToArray();
        for (var epoch = 0; epoch < options.Epochs; epoch++)
        {
            random.Shuffle(order);
            var rate = options.Rate / (1 + (epoch * 0.1));
            foreach (var b in order)
            {
                var (pieces, positive) = bags[b];
                if (pieces.Length == 0)
                {
                    continue;
                }
                if (!positive)
                {
                    foreach (var p in pieces)
                    {
                        Step(weights, ref bias, p, 0, rate, options.Decay);
                    }
                }
                else if (epoch < options.WarmEpochs)
                {
                    foreach (var p in pieces)
                    {
                        Step(weights, ref bias, p, 1, rate / pieces.Length, options.Decay);
                    }
                }
                else
                {
                    var best = pieces[0];
                    var bestMargin = double.NegativeInfinity;
                    foreach (var p in pieces)
                    {
                        var m = Margin(weights, bias, p);
                        if (m > bestMargin)
                        {
                            bestMargin = m;
                            best = p;
                        }
                    }
                    Step(weights, ref bias, best, 1, rate, options.Decay);
                }
            }
        }
        return new PieceClassifier(Array.ConvertAll(weights, w => Math.Abs(w) < 1e-5 ? 0f : (float)w), (float)bias, threshold);
    }

    /// <summary>
    /// The piece threshold at which at most <paramref name="falseHitRate"/> of benign texts trip, read from
    /// out-of-group scores: for each group, a model trained on the other groups scores that group's texts. A model
    /// scores the texts it learned from far more confidently than new ones, so the threshold must come from texts
    /// it did not see. Returns the threshold and the out-of-group scores (for reporting).
    /// </summary>
    public static (float Threshold, IReadOnlyList<(TrainingText Text, double Margin)> Scores) Calibrate(IReadOnlyList<TrainingText> texts, double falseHitRate, Options? options = null)
    {
        var scores = new List<(TrainingText, double)>();
        foreach (var group in texts.Select(t => t.Group).Distinct().Order(StringComparer.Ordinal))
        {
            var model = Train([.. texts.Where(t => t.Group != group)], 0, options);
            scores.AddRange(texts.Where(t => t.Group == group).Select(t => (t, model.Best(t.Text).Margin)));
        }
        var benign = scores.Where(s => s.Item1.Benign).Select(s => s.Item2).OrderDescending().ToArray();
        var allowed = (int)Math.Floor(falseHitRate * benign.Length);
        // Just above the (allowed+1)-th highest benign score: at most `allowed` benign texts lie above it.
        var threshold = benign.Length == 0 ? 0 : (float)(benign[Math.Min(allowed, benign.Length - 1)] + 1e-3);
        return (threshold, scores);
    }

    private static double Margin(double[] weights, double bias, int[] features)
    {
        var sum = bias;
        foreach (var f in features)
        {
            sum += weights[f];
        }
        return sum;
    }

    private static void Step(double[] weights, ref double bias, int[] features, int label, double rate, double decay)
    {
        var p = 1 / (1 + Math.Exp(-Margin(weights, bias, features)));
        var g = p - label;
        foreach (var f in features)
        {
            weights[f] -= rate * (g + (decay * weights[f]));
        }
        bias -= rate * g;
    }
}
