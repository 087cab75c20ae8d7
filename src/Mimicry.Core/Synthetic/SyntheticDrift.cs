using Mimicry.Determinism;
using Mimicry.Sessions;

namespace Mimicry.Synthetic;

/// <summary>
/// Injected drift for tests and demos: from day <c>driftFromDay</c>, each synthetic session writes, with probability
/// <c>driftAmount</c>, a note the real researcher would not write (off the question, in another voice) instead of
/// its work. The real researcher (the synthetic calibrator) never drifts.
/// </summary>
public static class SyntheticDrift
{
    private static readonly string[] OffTrack =
    [
        "Spent the day reorganizing the group's shared drive and renaming old folders.",
        "Mostly answered email about the upcoming department retreat and its catering.",
        "Read a long blog post about productivity systems; considering a new to-do app.",
        "Reviewed a manuscript on marine biology for a journal I rarely read.",
        "Drafted slides for a general-audience talk about the history of computing.",
        "The weather was lovely, so I went for a walk and thought about nothing in particular.",
    ];

    public static bool Applies(SessionRequest request) =>
        request.Simulator.Synthetic is { DriftAmount: > 0 } s && request.Key.Day >= s.DriftFromDay
        && new StableRandom((ulong)Seeds.ForSession(request) ^ 0x6472696674UL).NextDouble() < s.DriftAmount;

    public static string Write(SessionRequest request)
    {
        var r = new StableRandom((ulong)Seeds.ForSession(request) ^ 0x766F696365UL);
        var date = request.Anchor.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        return $"{date}. {OffTrack[r.NextInt(OffTrack.Length)]}";
    }
}

/// <summary>
/// The synthetic problem's "real researcher" answering a probe: the same researcher facing the same problem in the
/// same situation, on a session of their own (its own random choices), never drifting.
/// </summary>
public static class SyntheticCalibrator
{
    public static string Answer(SessionRequest request)
    {
        var own = request with
        {
            Key = request.Key with { Slot = request.Key.Slot + 1_000_000 },
            Simulator = request.Simulator with { Synthetic = request.Simulator.Synthetic with { DriftAmount = 0, InvalidRate = 0 } },
        };
        return SyntheticResearcher.Write(own);
    }
}
