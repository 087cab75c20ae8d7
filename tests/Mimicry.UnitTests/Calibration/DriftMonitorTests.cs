using Mimicry.Probes;
using Mimicry.Spec;

namespace Mimicry.UnitTests.Calibration;

public sealed class DriftMonitorTests
{
    private static readonly DriftTestSpec Test = new(Baseline: 4, Slack: 0.5, Threshold: 3, MinSigma: 0.05);

    private static DriftState Run(params double[] scores) =>
        DriftMonitor.Evaluate(scores.Select((s, i) => ($"p{i}", s, false)), Test);

    [Fact]
    public void BeforeTheBaselineIsComplete_ItOnlyLearns()
    {
        var s = Run(0.9, 0.1, 0.2);
        Assert.Null(s.BaselineMean);
        Assert.False(s.Alarm);
        Assert.StartsWith("learning the baseline (3 scored)", s.Describe(), StringComparison.Ordinal);
    }

    [Fact]
    public void StableScores_NeverFire()
    {
        var s = Run(0.9, 0.85, 0.95, 0.9, 0.88, 0.92, 0.9, 0.87, 0.93, 0.91, 0.86, 0.9);
        Assert.False(s.Alarm);
        Assert.Equal(0.9, s.BaselineMean!.Value, 6);
        Assert.Equal(0.05, s.BaselineSigma!.Value, 2);
    }

    [Fact]
    public void ASustainedDrop_Fires_WithTheProbesOfTheRunAsEvidence()
    {
        // Baseline 0.9 ± 0.05 (the floor); a drop to 0.7 is 4 sd a probe: 3.5 per probe after the slack.
        var s = Run(0.9, 0.9, 0.9, 0.9, 0.92, 0.7, 0.7);
        Assert.True(s.Alarm);
        Assert.Equal(["p5"], s.Evidence.Select(e => e.Probe));
        Assert.StartsWith("fired (CUSUM ", s.Describe(), StringComparison.Ordinal);
    }

    [Fact]
    public void ASingleDip_RecoversAndIsForgotten()
    {
        // 0.8 is 2 sd below: S = 1.5, then good scores bring it back to 0; later dips start from scratch.
        var s = Run(0.9, 0.9, 0.9, 0.9, 0.8, 0.95, 0.95, 0.95, 0.8);
        Assert.False(s.Alarm);
        Assert.Equal(1.5, s.Cusum, 6);
    }

    [Fact]
    public void AcknowledgedScores_StillFormTheBaseline_ButNoLongerCount()
    {
        var scores = new (string, double, bool)[] { ("a", 0.9, true), ("b", 0.9, true), ("c", 0.9, true), ("d", 0.9, true), ("e", 0.5, true), ("f", 0.9, false) };
        var s = DriftMonitor.Evaluate(scores, Test);
        Assert.False(s.Alarm);
        Assert.Equal(0, s.Cusum);
        Assert.Equal(0.9, s.BaselineMean!.Value, 6);
    }

    [Fact]
    public void Scoring_CombinesSimilarityAndRating_HalfAndHalf()
    {
        Assert.Equal(0.8, ProbeScoring.Combine(0.8, null), 9);
        Assert.Equal(0.4, ProbeScoring.Combine(0.8, 1), 9);
        Assert.Equal(0.9, ProbeScoring.Combine(0.8, 5), 9);
        Assert.Equal(0, ProbeScoring.Combine(-0.3, null), 9);
    }
}
