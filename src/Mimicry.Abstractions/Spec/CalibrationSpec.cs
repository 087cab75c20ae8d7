namespace Mimicry.Spec;

/// <summary>
/// Checking the simulation against the real researcher: who answers probes for the loop's researcher (the
/// calibrator), how branch-days are sampled, how long a probe waits, and the drift test (docs/calibration.md).
/// </summary>
[GenerateSerializer, Immutable, Alias("mimicry.CalibrationSpec")]
public sealed record CalibrationSpec(
    [property: Id(0)] CalibratorSpec Calibrator,
    [property: Id(1)] double Rate,
    [property: Id(2)] int MinEvery,
    [property: Id(3)] TimeSpan ExpireAfter,
    [property: Id(4)] DriftTestSpec Drift);

/// <summary>The real person (or, for demos and tests, the synthetic problem's own researcher) who answers probes.</summary>
[GenerateSerializer, Immutable, Alias("mimicry.CalibratorSpec")]
public sealed record CalibratorSpec(
    [property: Id(0)] string Id,
    [property: Id(1)] string Kind);

/// <summary>
/// A one-sided CUSUM over probe scores: the first <see cref="Baseline"/> scores set the expected mean and spread;
/// each later score adds max(0, (mean - score)/spread - <see cref="Slack"/>); the test fires when the sum passes
/// <see cref="Threshold"/>. <see cref="MinSigma"/> keeps a near-constant baseline from making any dip an alarm.
/// </summary>
[GenerateSerializer, Immutable, Alias("mimicry.DriftTestSpec")]
public sealed record DriftTestSpec(
    [property: Id(0)] int Baseline,
    [property: Id(1)] double Slack,
    [property: Id(2)] double Threshold,
    [property: Id(3)] double MinSigma);
