namespace Mimicry.Tripwires;

/// <summary>
/// Future leakage: the text knows something from after the day's anchor. It trips on a time the text names whose
/// period begins after the anchor (<see cref="TimeReferences"/>: a date, a month, a season or quarter, a year read
/// as a time), and on outcomes told from later without a date (<see cref="FutureNarration"/>). The verdict names
/// each rule and the words it matched.
/// </summary>
public static class FutureLeakage
{
    public const string Name = "future-leakage";

    public static TripwireVerdict Check(string text, DateTimeOffset anchor)
    {
        var day = DateOnly.FromDateTime(anchor.UtcDateTime);
        var found = new List<string>();
        foreach (var t in TimeReferences.Find(text))
        {
            if (t.Start > day)
            {
                found.Add($"{t.Kind} '{Excerpt(t.Words)}'");
            }
        }
        foreach (var (rule, words) in FutureNarration.Find(text, day).Concat(CueRules.Future(text, day)))
        {
            found.Add($"{rule}: '{Excerpt(words)}'");
        }
        return found.Count == 0
            ? new TripwireVerdict(Name, false, $"nothing after {day:yyyy-MM-dd}")
            : new TripwireVerdict(Name, true, $"after the anchor {day:yyyy-MM-dd}: {string.Join("; ", found.Distinct())}");
    }

    internal static string Excerpt(string s)
    {
        var one = s.ReplaceLineEndings(" ").Trim();
        return one.Length <= 80 ? one : one[..77] + "...";
    }
}
