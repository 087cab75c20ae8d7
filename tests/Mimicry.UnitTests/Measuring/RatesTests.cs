namespace Mimicry.UnitTests.Measuring;

/// <summary>The rate the timing tests measure: robust to a stall and its clump, not to a limiter that admits too much.</summary>
public sealed class RatesTests
{
    /// <summary>Arrivals at <paramref name="perSecond"/>, evenly spaced, for <paramref name="seconds"/>.</summary>
    private static List<TimeSpan> Steady(double perSecond, double seconds, double from = 0) =>
        Enumerable.Range(0, (int)(perSecond * seconds)).Select(i => TimeSpan.FromSeconds(from + i / perSecond)).ToList();

    [Fact]
    public void AStallThenAClump_AtTheWindowsEdge_ReadsAsTheSteadyRate()
    {
        // Seen in CI: 7, 9, then 37 requests in three seconds at a limit of 20, then 20 a second.
        var arrivals = new List<TimeSpan>();
        arrivals.AddRange(Steady(7, 1, from: 0));
        arrivals.AddRange(Steady(9, 1, from: 1));
        arrivals.AddRange(Enumerable.Range(0, 37).Select(i => TimeSpan.FromSeconds(2.9 + i * 0.002)));
        arrivals.AddRange(Steady(20, 5, from: 3));
        var rate = Rates.PerSecond(arrivals);
        Assert.InRange(rate, 19.5, 21);
        // The endpoint estimate the tests used before reads it far off.
        var endpoints = (arrivals.Count - 1) / (arrivals.Max() - arrivals.Min()).TotalSeconds;
        Assert.False(endpoints is >= 19.5 and <= 21, $"endpoints read {endpoints:0.0}");
    }

    [Fact]
    public void ALimiterThatAdmitsAFifthTooMuch_ReadsAsSuch()
    {
        Assert.InRange(Rates.PerSecond(Steady(24, 8)), 23.9, 24.1);
        Assert.InRange(Rates.PerSecond(Steady(20, 8)), 19.9, 20.1);
    }

    [Fact]
    public void AWindowTooShortToMeasure_IsRefused() =>
        Assert.Throws<ArgumentException>(() => Rates.PerSecond(Steady(20, 1)));
}
