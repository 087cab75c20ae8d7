namespace Mimicry.Tripwires.Learned;

/// <summary>One learned detector's finding: how sure it is (the logistic of its margin) and the piece it found.</summary>
public readonly record struct LearnedHit(double Probability, string Words);

/// <summary>
/// The two classifiers shipped with Mimicry (trained offline on the development corpora only, see
/// <see cref="LearnedTripwireRecipe"/>): one for text addressed to the reader, one for outcomes told from later. They
/// read the same features, so a text is cut and hashed once and both are scored in the same pass; their weights sit
/// side by side, so each feature costs one memory access for both. Loaded on first use (about 1 MB each).
/// </summary>
public static class LearnedScreen
{
    public const string ReaderModel = "reader.model";
    public const string FutureModel = "future.model";

    private static readonly Lazy<Pair> Shipped = new(() => new Pair(Load(ReaderModel), Load(FutureModel)));

    /// <summary>The shipped reader-directed classifier.</summary>
    public static PieceClassifier Reader => Shipped.Value.Reader;

    /// <summary>The shipped told-from-later classifier.</summary>
    public static PieceClassifier Future => Shipped.Value.Future;

    /// <summary>Scores <paramref name="text"/> with both shipped classifiers; a null hit did not trip.</summary>
    public static (LearnedHit? Reader, LearnedHit? Future) Check(string text) => Shipped.Value.Check(text);

    private static PieceClassifier Load(string name)
    {
        using var stream = typeof(LearnedScreen).Assembly.GetManifestResourceStream("Mimicry.Tripwires.Learned." + name)
            ?? throw new InvalidOperationException($"the tripwire model {name} is missing from {typeof(LearnedScreen).Assembly.GetName().Name}");
        return PieceClassifier.Read(stream);
    }

    internal sealed class Pair
    {
        private readonly float[] _weights;
        private readonly double _readerBias, _futureBias, _readerThreshold, _futureThreshold;

        public Pair(PieceClassifier reader, PieceClassifier future)
        {
            Reader = reader;
            Future = future;
            _weights = new float[reader.Weights.Length * 2];
            for (var i = 0; i < reader.Weights.Length; i++)
            {
                _weights[2 * i] = reader.Weights[i];
                _weights[(2 * i) + 1] = future.Weights[i];
            }
            (_readerBias, _futureBias) = (reader.Bias, future.Bias);
            (_readerThreshold, _futureThreshold) = (reader.Threshold, future.Threshold);
        }

        public PieceClassifier Reader { get; }

        public PieceClassifier Future { get; }

        public (LearnedHit? Reader, LearnedHit? Future) Check(string text)
        {
            Span<double> best = stackalloc double[2];
            Span<Range> where = stackalloc Range[2];
            PieceScoring.Best(text, _weights, [_readerBias, _futureBias], best, where);
            return (Hit(text, best[0], _readerThreshold, where[0]), Hit(text, best[1], _futureThreshold, where[1]));
        }

        private static LearnedHit? Hit(string text, double margin, double threshold, Range piece) =>
            margin > threshold ? new LearnedHit(1 / (1 + Math.Exp(-margin)), text[piece].Trim()) : null;
    }
}
