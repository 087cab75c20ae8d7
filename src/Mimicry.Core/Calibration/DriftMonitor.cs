using Mimicry.Spec;

namespace Mimicry.Calibration;

/// <summary>The drift test's state for one loop and researcher, and the evidence if it fired.</summary>
public sealed record DriftState(
    int Scored, double? BaselineMean, double? BaselineSigma, double Cusum, bool Alarm, IReadOnlyList<(string Probe, double Score)> Evidence)
{
    public string Describe() => BaselineMean is null
        ? $"learning the baseline ({Scored} scored)"
        : Alarm ? $"fired (CUSUM {Cusum:0.00})" : $"watching (CUSUM {Cusum:0.00}, baseline {BaselineMean:0.000} ± {BaselineSigma:0.000})";
}

/// <summary>
/// A one-sided CUSUM for a fall in probe scores. The first <c>baseline</c> scores give the expected mean and spread
/// (spread at least <c>minSigma</c>); for each later score z = (mean − score)/spread, S = max(0, S + z − slack); the
/// test fires when S exceeds <c>threshold</c>. Scores acknowledged by a person (after a resume) still count for the
/// baseline but no longer for S. Pure: the state is a fold over the stored scores, so it survives any restart.
/// </summary>
public static class DriftMonitor
{
    public static DriftState Evaluate(IEnumerable<(string Probe, double Score, bool Acknowledged)> scoresInOrder, DriftTestSpec test)
    {
        var all = scoresInOrder.ToList();
        if (all.Count < test.Baseline)
        {
            return new DriftState(all.Count, null, null, 0, false, []);
        }
        var baseline = all.Take(test.Baseline).Select(s => s.Score).ToList();
        var mean = baseline.Average();
        var sigma = Math.Max(test.MinSigma, Math.Sqrt(baseline.Sum(s => (s - mean) * (s - mean)) / Math.Max(1, baseline.Count - 1)));
        double cusum = 0;
        var run = new List<(string, double)>();
        foreach (var (probe, score, acknowledged) in all.Skip(test.Baseline))
        {
            if (acknowledged)
            {
                continue;
            }
            cusum = Math.Max(0, cusum + (mean - score) / sigma - test.Slack);
            if (cusum == 0)
            {
                run.Clear();
            }
            else
            {
                run.Add((probe, score));
            }
            if (cusum > test.Threshold)
            {
                return new DriftState(all.Count, mean, sigma, cusum, true, run);
            }
        }
        return new DriftState(all.Count, mean, sigma, cusum, false, []);
    }
}
