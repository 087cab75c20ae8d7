using Mimicry.Spec;

namespace Mimicry.Probes;

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
        var fold = new DriftFold(test);
        foreach (var (probe, score, acknowledged) in scoresInOrder)
        {
            fold.Add(probe, score, acknowledged);
        }
        return fold.State;
    }
}

/// <summary>
/// The drift test as a running fold: add scores in order and read <see cref="State"/> at any point. A tracker that
/// only ever appends later scores keeps one fold and pays per score, not per loop; anything out of order refolds.
/// </summary>
public sealed class DriftFold(DriftTestSpec test)
{
    private readonly List<double> _baseline = [];
    private readonly List<(string, double)> _run = [];
    private double _mean, _sigma, _cusum;
    private int _count;
    private DriftState? _fired;

    public void Add(string probe, double score, bool acknowledged)
    {
        _count++;
        if (_fired is not null)
        {
            return; // the test fired: later scores do not change what fired it
        }
        if (_baseline.Count < test.Baseline)
        {
            _baseline.Add(score);
            if (_baseline.Count == test.Baseline)
            {
                _mean = _baseline.Average();
                _sigma = Math.Max(test.MinSigma, Math.Sqrt(_baseline.Sum(s => (s - _mean) * (s - _mean)) / Math.Max(1, _baseline.Count - 1)));
            }
            return;
        }
        if (acknowledged)
        {
            return;
        }
        _cusum = Math.Max(0, _cusum + (_mean - score) / _sigma - test.Slack);
        if (_cusum == 0)
        {
            _run.Clear();
        }
        else
        {
            _run.Add((probe, score));
        }
        if (_cusum > test.Threshold)
        {
            _fired = new DriftState(0, _mean, _sigma, _cusum, true, [.. _run]);
        }
    }

    public DriftState State => _count < test.Baseline
        ? new DriftState(_count, null, null, 0, false, [])
        : _fired is { } fired ? fired with { Scored = _count } : new DriftState(_count, _mean, _sigma, _cusum, false, []);
}
