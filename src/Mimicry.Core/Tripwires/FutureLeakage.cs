using System.Globalization;
using System.Text.RegularExpressions;

namespace Mimicry.Tripwires;

/// <summary>
/// Future leakage: the text names a date later than the day's anchor. Rule: any full date (2026-11-30, 30 November
/// 2026, November 30, 2026) after the anchor's date trips it; so does a year after the anchor's year when it reads
/// as a time ("in 2031", "by 2030", "since 2029", "2030's", "early 2031"), not as a bare number ("2048 bits").
/// </summary>
public static partial class FutureLeakage
{
    private static readonly string[] Months = CultureInfo.InvariantCulture.DateTimeFormat.MonthNames.Where(m => m.Length > 0).ToArray();

    [GeneratedRegex(@"\b(\d{4})-(\d{2})-(\d{2})\b", RegexOptions.CultureInvariant)]
    private static partial Regex Iso();

    [GeneratedRegex(@"\b(\d{1,2})(?:st|nd|rd|th)?\s+(January|February|March|April|May|June|July|August|September|October|November|December),?\s+(\d{4})\b", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase)]
    private static partial Regex DayMonthYear();

    [GeneratedRegex(@"\b(January|February|March|April|May|June|July|August|September|October|November|December)\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})\b", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase)]
    private static partial Regex MonthDayYear();

    [GeneratedRegex(@"\b(?:in|by|since|from|until|till|after|before|during|around|circa|early|mid|late|year)\s+(?:the\s+year\s+)?((?:19|20|21)\d{2})\b|\b((?:19|20|21)\d{2})(?:'?s)\b", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase)]
    private static partial Regex TemporalYear();

    public static TripwireVerdict Check(string text, DateTimeOffset anchor)
    {
        var day = DateOnly.FromDateTime(anchor.UtcDateTime);
        var found = new List<string>();
        foreach (Match m in Iso().Matches(text))
        {
            if (TryDate(m.Groups[1].Value, m.Groups[2].Value, m.Groups[3].Value, out var d) && d > day)
            {
                found.Add(m.Value);
            }
        }
        foreach (Match m in DayMonthYear().Matches(text))
        {
            if (TryDate(m.Groups[3].Value, Month(m.Groups[2].Value), m.Groups[1].Value, out var d) && d > day)
            {
                found.Add(m.Value);
            }
        }
        foreach (Match m in MonthDayYear().Matches(text))
        {
            if (TryDate(m.Groups[3].Value, Month(m.Groups[1].Value), m.Groups[2].Value, out var d) && d > day)
            {
                found.Add(m.Value);
            }
        }
        foreach (Match m in TemporalYear().Matches(text))
        {
            var year = int.Parse(m.Groups[1].Success ? m.Groups[1].Value : m.Groups[2].Value, CultureInfo.InvariantCulture);
            if (year > day.Year)
            {
                found.Add(m.Value);
            }
        }
        return found.Count == 0
            ? new TripwireVerdict("future-leakage", false, $"no date after {day:yyyy-MM-dd}")
            : new TripwireVerdict("future-leakage", true, $"names {string.Join(", ", found.Distinct().Select(f => $"'{f}'"))}, after the anchor {day:yyyy-MM-dd}");
    }

    private static string Month(string name) =>
        (Array.FindIndex(Months, m => m.Equals(name, StringComparison.OrdinalIgnoreCase)) + 1).ToString(CultureInfo.InvariantCulture);

    private static bool TryDate(string y, string m, string d, out DateOnly date)
    {
        date = default;
        return int.TryParse(y, CultureInfo.InvariantCulture, out var year) && int.TryParse(m, CultureInfo.InvariantCulture, out var month)
            && int.TryParse(d, CultureInfo.InvariantCulture, out var dayOfMonth) && year is >= 1 and <= 9999 && month is >= 1 and <= 12 && dayOfMonth >= 1
            && dayOfMonth <= DateTime.DaysInMonth(year, month) && (date = new DateOnly(year, month, dayOfMonth)) != default;
    }
}
