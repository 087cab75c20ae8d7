using System.Globalization;
using Mimicry.Tripwires.Learned;

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

    public static TripwireVerdict Check(string text, DateTimeOffset anchor) => Check(text, anchor, LearnedScreen.Check(text).Future);

    /// <param name="learned">What the shipped told-from-later classifier found (<see cref="LearnedScreen"/>), or null.</param>
    internal static TripwireVerdict Check(string text, DateTimeOffset anchor, LearnedHit? learned)
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
        if (learned is { } hit && !DatesItselfBefore(hit.Words, day))
        {
            found.Add($"learned, told from later (p={hit.Probability.ToString("F2", CultureInfo.InvariantCulture)}): '{Excerpt(hit.Words)}'");
        }
        return found.Count == 0
            ? Nothing(day)
            : new TripwireVerdict(Name, true, $"after the anchor {day:yyyy-MM-dd}: {string.Join("; ", found.Distinct())}");
    }

    [ThreadStatic]
    private static (DateOnly Day, TripwireVerdict? Verdict) t_nothing;

    // The verdict of almost every candidate, made once per anchor day and thread rather than formatted each time.
    private static TripwireVerdict Nothing(DateOnly day)
    {
        if (t_nothing.Verdict is null || t_nothing.Day != day)
        {
            t_nothing = (day, new TripwireVerdict(Name, false, $"nothing after {day:yyyy-MM-dd}"));
        }
        return t_nothing.Verdict;
    }

    // A sentence that names only times at or before the anchor tells the past ("by 2019 it had been retracted"):
    // the classifier reads no dates, the anchor decides.
    private static bool DatesItselfBefore(string words, DateOnly day)
    {
        var any = false;
        foreach (var t in TimeReferences.FindInPart(words))
        {
            if (t.Start > day)
            {
                return false;
            }
            any = true;
        }
        return any;
    }

    internal static string Excerpt(string s)
    {
        var one = s.ReplaceLineEndings(" ").Trim();
        return one.Length <= 80 ? one : one[..77] + "...";
    }
}
