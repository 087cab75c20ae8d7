namespace Mimicry.Tests.Shared;

/// <summary>Rates measured from arrival times, robust to the clumps a loaded test machine makes.</summary>
internal static class Rates
{
    /// <summary>
    /// Events per second as the least-squares slope of "events so far" against arrival time. Unlike (n − 1) / (last −
    /// first), a sub-second stall that delivers admitted requests in a clump at either end of the window barely moves it.
    /// </summary>
    public static double PerSecond(IReadOnlyList<TimeSpan> arrivals)
    {
        var points = arrivals.Order().Select((t, i) => (X: t.TotalSeconds, Y: (double)i)).ToList();
        double mx = points.Average(p => p.X), my = points.Average(p => p.Y);
        return points.Sum(p => (p.X - mx) * (p.Y - my)) / points.Sum(p => (p.X - mx) * (p.X - mx));
    }
}
