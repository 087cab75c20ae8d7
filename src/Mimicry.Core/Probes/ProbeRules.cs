using Mimicry.Status;

namespace Mimicry.Probes;

/// <summary>What a calibrator may do to a probe, checked before anything is written. Messages are for people.</summary>
public static class ProbeRules
{
    public static string? RefuseAnswer(Probe? probe, string id, string calibrator, string text, DateTimeOffset now)
    {
        if (probe is null)
        {
            return $"no probe '{id}'";
        }
        if (!string.Equals(probe.Calibrator, calibrator, StringComparison.Ordinal))
        {
            return $"probe '{id}' is for calibrator '{probe.Calibrator}', not '{calibrator}'";
        }
        if (probe.State is ProbeState.Answered or ProbeState.Rated)
        {
            return $"probe '{id}' is already answered";
        }
        if (probe.State == ProbeState.Expired || now >= probe.Expires)
        {
            return $"probe '{id}' expired at {probe.Expires:yyyy-MM-dd HH:mm}Z";
        }
        if (string.IsNullOrWhiteSpace(text))
        {
            return "the answer is empty";
        }
        return null;
    }

    public static string? RefuseRating(Probe? probe, string id, string calibrator, int rating)
    {
        if (probe is null)
        {
            return $"no probe '{id}'";
        }
        if (!string.Equals(probe.Calibrator, calibrator, StringComparison.Ordinal))
        {
            return $"probe '{id}' is for calibrator '{probe.Calibrator}', not '{calibrator}'";
        }
        if (probe.State is ProbeState.Open or ProbeState.Expired)
        {
            return $"probe '{id}' must be answered before its simulated answer is rated (answer first, blind)";
        }
        if (probe.State == ProbeState.Rated)
        {
            return $"probe '{id}' is already rated";
        }
        if (rating is < 1 or > 5)
        {
            return $"--score: must be 1 to 5 (got {rating})";
        }
        return null;
    }
}
