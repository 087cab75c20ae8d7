namespace Mimicry.Probes;

/// <summary>
/// How a probe's score is made: the semantic similarity of the real and simulated answers (cosine of their
/// embeddings, clipped to 0..1), averaged with the calibrator's rating of the simulated answer (1..5 mapped to 0..1)
/// once they give one.
/// </summary>
public static class ProbeScoring
{
    public static double Combine(double similarity, int? rating) =>
        rating is { } r ? 0.5 * Math.Clamp(similarity, 0, 1) + 0.5 * (r - 1) / 4.0 : Math.Clamp(similarity, 0, 1);
}

/// <summary>Compares a real answer with a simulated one: 1 means the same meaning, 0 unrelated.</summary>
public interface IProbeScorer
{
    string Name { get; }

    double Similarity(string real, string simulated);
}
