using Mimicry.Spec;

namespace Mimicry.Anchors;

/// <summary>Computes each day's anchor time from the anchor policy. Days are numbered from 1.</summary>
public static class AnchorClock
{
    /// <summary>The anchor for <paramref name="day"/>; <paramref name="now"/> matters only to <c>follow</c>.</summary>
    public static DateTimeOffset For(AnchorSpec anchor, int day, DateTimeOffset now) => anchor.Policy switch
    {
        AnchorPolicy.Fixed => anchor.Time,
        AnchorPolicy.Stepped => anchor.Time + anchor.Step * ((day - 1) / anchor.EveryDays),
        // Follow never runs ahead of real time: it is the wall clock minus a non-negative lag, truncated to seconds.
        _ => Truncate(now - anchor.Lag),
    };

    /// <summary>The latest anchor any day of the loop can have (for <c>follow</c>, the present minus the lag).</summary>
    public static DateTimeOffset Latest(AnchorSpec anchor, int days, DateTimeOffset now) => For(anchor, days, now);

    /// <summary>The first day whose anchor would be later than <paramref name="now"/>, or 0 if none.</summary>
    public static int FirstFutureDay(AnchorSpec anchor, int days, DateTimeOffset now)
    {
        if (anchor.Policy != AnchorPolicy.Stepped)
        {
            return For(anchor, 1, now) > now ? 1 : 0;
        }
        if (anchor.Time > now)
        {
            return 1;
        }
        var steps = (long)((now - anchor.Time).Ticks / anchor.Step.Ticks) + 1;
        var day = steps * anchor.EveryDays + 1;
        return day <= days ? (int)day : 0;
    }

    private static DateTimeOffset Truncate(DateTimeOffset t) => new(t.Ticks - t.Ticks % TimeSpan.TicksPerSecond, t.Offset);
}
