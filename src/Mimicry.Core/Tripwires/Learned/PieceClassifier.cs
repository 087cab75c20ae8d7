using System.Buffers.Binary;

namespace Mimicry.Tripwires.Learned;

/// <summary>
/// A linear classifier over the pieces of a text (<see cref="TextFeatures"/>): a text's score is its highest-scoring
/// piece's, so one offending sentence inside ordinary notes is enough, and the verdict can say which. Trained
/// offline (<see cref="PieceClassifierTraining"/>) and shipped as data; scoring is a sum of weights per feature,
/// linear in the text and deterministic.
/// </summary>
public sealed class PieceClassifier
{
    private const uint Magic = 0x544D494D; // "MIMT"
    private const int Version = 1;

    private readonly float[] _weights;

    internal PieceClassifier(float[] weights, float bias, float threshold)
    {
        if (weights.Length != 1 << TextFeatures.Bits)
        {
            throw new ArgumentException($"expected {1 << TextFeatures.Bits} weights, got {weights.Length}", nameof(weights));
        }
        _weights = weights;
        Bias = bias;
        Threshold = threshold;
    }

    public float Bias { get; }

    /// <summary>A piece trips when its margin (log-odds) is above this, chosen on held-out development texts.</summary>
    public float Threshold { get; }

    internal float[] Weights => _weights;

    /// <summary>The highest-scoring piece of <paramref name="text"/> and its margin (log-odds); no piece: negative infinity.</summary>
    public (double Margin, Range Piece) Best(string text)
    {
        Span<double> best = stackalloc double[1];
        Span<Range> where = stackalloc Range[1];
        PieceScoring.Best(text, _weights, [Bias], best, where);
        return (best[0], where[0]);
    }

    /// <summary>The margin of one piece's features (the reference the fast path is checked against).</summary>
    internal double Margin(IEnumerable<int> features)
    {
        double sum = Bias;
        foreach (var f in features)
        {
            sum += _weights[f];
        }
        return sum;
    }

    /// <summary>Writes the model: a header, then the non-zero weights as (bucket, weight) pairs, little-endian.</summary>
    public void Write(Stream stream)
    {
        var nonZero = 0;
        foreach (var w in _weights)
        {
            if (w != 0)
            {
                nonZero++;
            }
        }
        var buffer = new byte[24 + (nonZero * 8)];
        var span = buffer.AsSpan();
        BinaryPrimitives.WriteUInt32LittleEndian(span, Magic);
        BinaryPrimitives.WriteInt32LittleEndian(span[4..], Version);
        BinaryPrimitives.WriteInt32LittleEndian(span[8..], TextFeatures.Bits);
        BinaryPrimitives.WriteSingleLittleEndian(span[12..], Bias);
        BinaryPrimitives.WriteSingleLittleEndian(span[16..], Threshold);
        BinaryPrimitives.WriteInt32LittleEndian(span[20..], nonZero);
        var at = 24;
        for (var i = 0; i < _weights.Length; i++)
        {
            if (_weights[i] != 0)
            {
                BinaryPrimitives.WriteInt32LittleEndian(span[at..], i);
                BinaryPrimitives.WriteSingleLittleEndian(span[(at + 4)..], _weights[i]);
                at += 8;
            }
        }
        stream.Write(buffer);
    }

    public static PieceClassifier Read(Stream stream)
    {
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        var span = copy.GetBuffer().AsSpan(0, (int)copy.Length);
        if (span.Length < 24 || BinaryPrimitives.ReadUInt32LittleEndian(span) != Magic)
        {
            throw new InvalidDataException("not a Mimicry tripwire model");
        }
        var version = BinaryPrimitives.ReadInt32LittleEndian(span[4..]);
        var bits = BinaryPrimitives.ReadInt32LittleEndian(span[8..]);
        if (version != Version || bits != TextFeatures.Bits)
        {
            throw new InvalidDataException($"tripwire model version {version} with {bits} feature bits; this build reads version {Version} with {TextFeatures.Bits}");
        }
        var bias = BinaryPrimitives.ReadSingleLittleEndian(span[12..]);
        var threshold = BinaryPrimitives.ReadSingleLittleEndian(span[16..]);
        var count = BinaryPrimitives.ReadInt32LittleEndian(span[20..]);
        if (count < 0 || span.Length != 24 + ((long)count * 8))
        {
            throw new InvalidDataException("tripwire model: truncated or malformed");
        }
        var weights = new float[1 << TextFeatures.Bits];
        for (var k = 0; k < count; k++)
        {
            var at = 24 + (k * 8);
            var index = BinaryPrimitives.ReadInt32LittleEndian(span[at..]);
            if ((uint)index >= (uint)weights.Length)
            {
                throw new InvalidDataException("tripwire model: a weight outside the feature space");
            }
            weights[index] = BinaryPrimitives.ReadSingleLittleEndian(span[(at + 4)..]);
        }
        return new PieceClassifier(weights, bias, threshold);
    }
}
