namespace Mimicry.Tripwires;

/// <summary>
/// Out of distribution: the entry's meaning is far from everything the researcher wrote. Rule: the highest
/// similarity (0..1, the calibration scorer's) between the entry and any reference text (the researcher's own
/// writings, their description and question, the branch's earlier entries) is below the threshold.
/// </summary>
public static class OutOfDistribution
{
    public static TripwireVerdict Check(string text, IReadOnlyList<string> references, double threshold, Func<string, string, double> similarity)
    {
        if (references.Count == 0)
        {
            return new TripwireVerdict("out-of-distribution", false, "no reference texts to compare with");
        }
        var best = references.Max(r => similarity(text, r));
        return best < threshold
            ? new TripwireVerdict("out-of-distribution", true, $"closest reference similarity {best:0.000} is below {threshold:0.00}")
            : new TripwireVerdict("out-of-distribution", false, $"closest reference similarity {best:0.000} (threshold {threshold:0.00})");
    }
}
