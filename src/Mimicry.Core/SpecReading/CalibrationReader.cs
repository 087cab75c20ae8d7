using Mimicry.Spec;

namespace Mimicry.SpecReading;

/// <summary>Reads the optional <c>calibration</c> section (docs/calibration.md).</summary>
internal static class CalibrationReader
{
    // Chosen with the calibration benchmark (docs/benchmarks.md): 3.5 % false alarms per 30-probe loop, moderate
    // drift caught after a median of 3 probes (threshold 8 gave 5.0 % and 3).
    public static readonly DriftTestSpec DefaultDrift = new(Baseline: 8, Slack: 0.5, Threshold: 10, MinSigma: 0.05);

    /// <returns>null when invalid; otherwise the spec (itself null when the section is absent).</returns>
    public static (CalibrationSpec? Spec, bool Ok)? Read(SpecFields? f, bool present)
    {
        if (f is null)
        {
            return present ? null : (null, true);
        }
        var calibrator = ReadCalibrator(f.Object("calibrator", required: true));
        var rate = f.Double("rate", false, 0, 1) ?? (f.Has("rate") ? null : 0.05);
        var minEvery = f.Int("minEvery", false, 0, SpecReader.MaxDays) ?? (f.Has("minEvery") ? null : 0);
        var expire = f.Duration("expireAfter", false, TimeSpan.FromMinutes(1), TimeSpan.FromDays(365)) ?? (f.Has("expireAfter") ? null : TimeSpan.FromDays(7));
        var wait = f.Bool("wait") ?? false;
        var drift = ReadDrift(f.Object("drift", required: false), f.Has("drift"));
        if (rate is 0 && minEvery is 0)
        {
            f.Error("rate", "and minEvery are both 0: no probe would ever be asked");
        }
        if (wait)
        {
            f.Error("wait", "true is not supported yet: loops keep running while probes wait (leave it out or set false)");
        }
        f.RejectUnknown();
        if (calibrator is null || rate is null || minEvery is null || expire is null || drift is null || wait || (rate is 0 && minEvery is 0))
        {
            return null;
        }
        return (new CalibrationSpec(calibrator, rate.Value, minEvery.Value, expire.Value, drift), true);
    }

    private static CalibratorSpec? ReadCalibrator(SpecFields? f)
    {
        if (f is null)
        {
            return null;
        }
        var id = f.String("id", required: true, maxLength: 64);
        var kind = f.Choice("kind", false, "human", "synthetic") ?? (f.Has("kind") ? null : "human");
        f.RejectUnknown();
        return id is null || kind is null ? null : new CalibratorSpec(id, kind);
    }

    private static DriftTestSpec? ReadDrift(SpecFields? f, bool present)
    {
        if (f is null)
        {
            return present ? null : DefaultDrift;
        }
        var d = DefaultDrift;
        var baseline = f.Int("baseline", false, 2, 1000) ?? (f.Has("baseline") ? null : d.Baseline);
        var slack = f.Double("slack", false, 0, 10) ?? (f.Has("slack") ? null : d.Slack);
        var threshold = f.Double("threshold", false, 0.1, 1000) ?? (f.Has("threshold") ? null : d.Threshold);
        var minSigma = f.Double("minSigma", false, 0.001, 1) ?? (f.Has("minSigma") ? null : d.MinSigma);
        f.RejectUnknown();
        return baseline is null || slack is null || threshold is null || minSigma is null ? null : new DriftTestSpec(baseline.Value, slack.Value, threshold.Value, minSigma.Value);
    }
}
