namespace Mimicry.Tests.Shared;

/// <summary>Rates measured from arrival times, robust to the stalls and clumps a loaded test machine makes.</summary>
internal static class Rates
{
    /// <summary>
    /// Events per second as the median, over every pair of arrivals at least <paramref name="minSpanSeconds"/> apart,
    /// of the events between them divided by the time between them (a Theil–Sen slope of "events so far" against
    /// time). A stall of under a second followed by a clump of the requests it held back (seen on the loaded 2-core
    /// CI box: 7, 9, then 37 requests in three seconds at a limit of 20) skews only the pairs that end inside it, so it
    /// barely moves the median — where it moved (n − 1) / (last − first) by 15 % and a least-squares slope by 12 %.
    /// A limiter that admits too much raises every pair's rate, so it still fails a band around the limit.
    /// </summary>
    public static double PerSecond(IReadOnlyList<TimeSpan> arrivals, double minSpanSeconds = 2)
    {
        var t = arrivals.Select(a => a.TotalSeconds).Order().ToArray();
        var rates = new List<double>();
        for (var i = 0; i < t.Length; i++)
        {
            for (var j = i + 1; j < t.Length; j++)
            {
                if (t[j] - t[i] >= minSpanSeconds)
                {
                    rates.Add((j - i) / (t[j] - t[i]));
                }
            }
        }
        if (rates.Count == 0)
        {
            throw new ArgumentException($"no two arrivals are {minSpanSeconds} s apart: the window is too short to measure a rate", nameof(arrivals));
        }
        rates.Sort();
        return rates[rates.Count / 2];
    }
}
