using System.Globalization;
using System.Text.RegularExpressions;

namespace Mimicry.Tripwires;

/// <summary>A time the text names, as the first day of the period it denotes (a day, a month, a season, a quarter, a year).</summary>
public readonly record struct TimeReference(string Kind, string Words, DateOnly Start);

/// <summary>
/// Finds the times a text names and resolves each to the first day of its period: full dates in the usual written
/// forms (and informal ones: "2027/03/04", "on 26/11/27", "11 may 27"), months with a year ("Nov. 2023", "03/2024",
/// "April '27", "jan27"), seasons, quarters, halves and fiscal years
/// ("spring 2029", "autumn '28", "Q3 2028", "3Q27", "H2 2026", "1H 2027", "FY2028", "winter 2024-25"), two
/// consecutive years as one span ("the 2027-28 winter", "the 2027/28 academic year"), and bare years read as times
/// ("in 2030", "the 2026 census", "our 2027 paper", "fiscal 2028", "term 3, 2028") — not years in arithmetic ("2029
/// is prime", "mod 2027", "[2030, 2040]"). Every pattern is bounded, so the scan is linear in the text.
/// </summary>
public static partial class TimeReferences
{
    private const string MonthName = @"(?<month>jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?";

    private const string Year = @"(?<year>(?:19|20|21)\d{2})";

    /// <summary>
    /// What every form but a spelled-out year needs somewhere: a year (19xx to 21xx), a two-digit year after an
    /// apostrophe, a slash or a day and month, or a quarter, half or fiscal mark (a month run into its year is looked for by hand).
    /// </summary>
    [GeneratedRegex(@"(?:19|20|21)\d\d|['’]\d\d|\d/\d\d\b|\d(?i:st|nd|rd|th)?(?:\s+of)?[\s-]+(?i:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?,?[\s-]+\d\d\b|[1-4]Q\d\d|[12]H\d\d|\bQ[1-4]|\bH[12]|FY", RegexOptions.CultureInvariant)]
    private static partial Regex Prefilter();

    [GeneratedRegex(@"\b(?:(?<d>\d{1,2})\.(?<m>\d{1,2})\.(?<year>(?:19|20|21)\d{2})|(?<year>(?:19|20|21)\d{2})\.(?<m>\d{1,2})\.(?<d>\d{1,2}))\b(?!\.\d)", RegexOptions.CultureInvariant)]
    private static partial Regex DottedDateRegex();

    private static readonly TextPattern DottedDate = new(DottedDateRegex());

    [GeneratedRegex(@"\b(?<d>\d{1,2})(?:st|nd|rd|th)?(?:(?:\s+of)?\s+|-)" + MonthName + @"(?:,?\s+|-)(?:" + Year + @"\b|['’]?(?<yy>\d{2})\b(?=\s*(?:[.,;:)!?]|$)))", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase)]
    private static partial Regex DayMonthYearRegex();

    private static readonly TextPattern DayMonthYear = new(DayMonthYearRegex());

    [GeneratedRegex(@"\b" + MonthName + @"\s+(?<d>\d{1,2})(?:st|nd|rd|th)?,?\s+" + Year + @"\b", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase)]
    private static partial Regex MonthDayYearRegex();

    private static readonly TextPattern MonthDayYear = new(MonthDayYearRegex());

    [GeneratedRegex(@"\b" + MonthName + @"(?:,?\s+(?:of\s+)?|-)(?:" + Year + @"\b|'(?<yy>\d{2})\b)", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase)]
    private static partial Regex MonthYearRegex();

    private static readonly TextPattern MonthYear = new(MonthYearRegex());

    [GeneratedRegex(@"(?<![\d/.])\b(?:(?<m>0?[1-9]|1[0-2])/(?<year>(?:19|20|21)\d{2})|(?<year>(?:19|20|21)\d{2})/(?<m>0[1-9]|1[0-2]))\b(?![/.\-]\d)", RegexOptions.CultureInvariant)]
    private static partial Regex NumericMonthYearRegex();

    private static readonly TextPattern NumericMonthYear = new(NumericMonthYearRegex());

    /// <summary>a/b/yyyy: day and month in either order; taken as the earlier of the two readings.</summary>
    [GeneratedRegex(@"(?<![\d/.])\b(?<a>\d{1,2})/(?<b>\d{1,2})/(?<year>(?:19|20|21)\d{2})\b", RegexOptions.CultureInvariant)]
    private static partial Regex SlashDateRegex();

    private static readonly TextPattern SlashDate = new(SlashDateRegex());

    [GeneratedRegex(@"\b(?<season>spring|summer|autumn|fall|winter)(?:\s+(?:term|semester|quarter|season))?(?:\s+of)?,?\s+(?:the\s+)?(?:" + Year + @"(?:\s*[-/–]\s*(?<to>\d{2,4}))?|['’](?<yy>\d{2})|(?<yy>\d{2})\s*[-/–]\s*(?<to>\d{2}))\b|\b" + Year + @"\s+(?<season>spring|summer|autumn|fall|winter)\b", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase)]
    private static partial Regex SeasonRegex();

    private static readonly TextPattern Season = new(SeasonRegex());

    [GeneratedRegex(@"\b(?:Q(?<q>[1-4])\s*[-/']?\s*(?:" + Year + @"|(?<yy>\d{2}))|" + Year + @"\s*[-/ ]?\s*Q(?<q>[1-4])|(?<q>[1-4])Q\s*(?:" + Year + @"|(?<yy>\d{2}))|(?<h>[12])H\s*(?:" + Year + @"|(?<yy>\d{2}))|H(?<h>[12])\s*[-/']?\s*(?:" + Year + @"|(?<yy>\d{2}))|" + Year + @"\s*[-/ ]?\s*H(?<h>[12])|FY\s*'?(?:" + Year + @"|(?<yy>\d{2})))\b", RegexOptions.CultureInvariant)]
    private static partial Regex QuarterHalfFiscalRegex();

    private static readonly TextPattern QuarterHalfFiscal = new(QuarterHalfFiscalRegex());

    [GeneratedRegex(@"Q[1-4]|[1-4]Q|H[12]|[12]H|FY", RegexOptions.CultureInvariant)]
    private static partial Regex QuarterHalfFiscalMark();

    [GeneratedRegex(@"\d\.\d", RegexOptions.CultureInvariant)]
    private static partial Regex DigitDotDigit();

    public static IReadOnlyList<TimeReference> Find(string text) => Find(text, part: false);

    /// <summary>As <see cref="Find(string)"/> for a part of a text (a sentence): each pattern's own gate, not the pass shared by a whole text.</summary>
    internal static IReadOnlyList<TimeReference> FindInPart(string part) => Find(part, part: true);

    private static IReadOnlyList<TimeReference> Find(string text, bool part)
    {
        var found = new List<TimeReference>();
        // Every other form has a number of two or four digits: text without one names no time but a spelled-out year.
        // (Each alternative of the prefilter starts with a digit or a capital, so its search skips ahead quickly; a month
        // run into its year, "jan27", is looked for by hand.)
        var digits = text.AsSpan().IndexOfAnyInRange('0', '9') >= 0;
        var glued = digits && LetterBeforeTwoDigits(text);
        if (!glued && (!digits || !Prefilter().IsMatch(text)))
        {
            SpelledYears(text, part, found);
            return found;
        }
        // Where a longer form matched, the years inside it are not read again as bare years.
        var taken = new List<(int Start, int End)>();
        void Add(string kind, Match m, DateOnly? start)
        {
            taken.Add((m.Index, m.Index + m.Length));
            if (start is { } s)
            {
                found.Add(new TimeReference(kind, m.Value, s));
            }
        }
        // ISO dates by hand (the commonest form, and the one every synthetic candidate opens with): the same matches
        // as IsoDateRegex, which a unit test holds it to, without a regular expression's matches and groups.
        foreach (var at in IsoDateStarts(text))
        {
            taken.Add((at, at + 10));
            if (Date(text.Substring(at, 4), text.Substring(at + 5, 2), text.Substring(at + 8, 2)) is { } s)
            {
                found.Add(new TimeReference("date", text.Substring(at, 10), s));
            }
        }
        // The gates of these two need more than their words: a dotted date needs a digit, a dot and a digit; a quarter,
        // half or fiscal mark its capital letters (the gates ignore case, these patterns do not).
        foreach (Match m in DigitDotDigit().IsMatch(text) ? DottedDate.Matches(text, part) : [])
        {
            Add("date", m, Date(m.Groups["year"].Value, m.Groups["m"].Value, m.Groups["d"].Value));
        }
        // Slashed forms need a slash; a month run into its year needs a letter right before two digits.
        var slash = text.Contains('/');
        foreach (Match m in slash ? SlashDate.Matches(text, part) : [])
        {
            Add("date", m, EarlierReading(m));
        }
        foreach (Match m in slash ? YearFirstSlashDate.Matches(text, part) : [])
        {
            Add("date", m, Date(m.Groups["year"].Value, m.Groups["m"].Value, m.Groups["d"].Value));
        }
        foreach (Match m in slash ? ShortSlashDate.Matches(text, part) : [])
        {
            Add("date", m, EarlierReading(m));
        }
        foreach (Match m in DayMonthYear.Matches(text, part))
        {
            Add("date", m, Date(YearOf(m), Month(m.Groups["month"].Value), m.Groups["d"].Value));
        }
        foreach (Match m in MonthDayYear.Matches(text, part))
        {
            Add("date", m, Date(m.Groups["year"].Value, Month(m.Groups["month"].Value), m.Groups["d"].Value));
        }
        foreach (Match m in MonthYear.Matches(text, part))
        {
            if (Overlaps(taken, m))
            {
                continue;
            }
            // "may 2027" is a month; "may" alone before a year is rare enough to take as one too.
            Add("month", m, Date(YearOf(m), Month(m.Groups["month"].Value), "1"));
        }
        foreach (Match m in glued ? MonthGluedYear.Matches(text, part) : [])
        {
            if (!Overlaps(taken, m))
            {
                Add("month", m, Date(YearOf(m), Month(m.Groups["month"].Value), "1"));
            }
        }
        foreach (Match m in NumericMonthYear.Matches(text, part))
        {
            if (!Overlaps(taken, m) && !MathSentence(text, m))
            {
                Add("month", m, Date(m.Groups["year"].Value, m.Groups["m"].Value, "1"));
            }
        }
        foreach (Match m in Season.Matches(text, part))
        {
            if (Overlaps(taken, m))
            {
                continue;
            }
            var year = m.Groups["year"].Success ? int.Parse(m.Groups["year"].Value, CultureInfo.InvariantCulture) : TwoDigitYear(m.Groups["yy"].Value);
            // Meteorological seasons; a winter named by its first year (winter 2024-25) begins in December of it.
            var month = m.Groups["season"].Value.ToLowerInvariant() switch
            {
                "spring" => 3,
                "summer" => 6,
                "autumn" or "fall" => 9,
                _ => m.Groups["to"].Success ? 12 : 1,
            };
            Add("season", m, new DateOnly(year, month, 1));
        }
        foreach (Match m in QuarterHalfFiscalMark().IsMatch(text) ? QuarterHalfFiscal.Matches(text, part) : [])
        {
            if (Overlaps(taken, m))
            {
                continue;
            }
            var year = m.Groups["year"].Success ? int.Parse(m.Groups["year"].Value, CultureInfo.InvariantCulture) : TwoDigitYear(m.Groups["yy"].Value);
            // A fiscal year may start months before its calendar year: take its start as the calendar year's, a
            // conservative reading (FY2028 is after an anchor in 2027).
            var month = m.Groups["q"].Success ? 3 * int.Parse(m.Groups["q"].Value, CultureInfo.InvariantCulture) - 2 : m.Groups["h"].Success ? (m.Groups["h"].Value == "1" ? 1 : 7) : 1;
            Add(m.Groups["q"].Success ? "quarter" : m.Groups["h"].Success ? "half" : "fiscal year", m, new DateOnly(year, month, 1));
        }
        var yearOutside = YearOutside(text, taken);
        foreach (Match m in yearOutside ? IsoMonth.Matches(text, part) : [])
        {
            if (!Overlaps(taken, m) && ReadsAsIsoMonth(text, m))
            {
                Add("month", m, Date(m.Groups["year"].Value, m.Groups["m"].Value, "1"));
            }
        }
        foreach (Match m in yearOutside ? YearSpan.Matches(text, part) : [])
        {
            if (Overlaps(taken, m) || !ReadsAsSpan(text, m))
            {
                continue;
            }
            // From the first year's start: "the 2028-29 winter" may begin in its December, an academic year in its
            // autumn; the earliest reading never calls a past span future.
            Add("years", m, new DateOnly(int.Parse(m.Groups["year"].Value, CultureInfo.InvariantCulture), 1, 1));
        }
        foreach (Match m in yearOutside ? BareYear.Matches(text, part) : [])
        {
            if (Overlaps(taken, m) || !ReadsAsTime(text, m))
            {
                continue;
            }
            Add(m.Value.EndsWith('s') ? "decade" : "year", m, new DateOnly(int.Parse(m.Groups["year"].Value, CultureInfo.InvariantCulture), 1, 1));
        }
        foreach (Match m in ApostropheYearOutside(text, taken) ? ShortYear.Matches(text, part) : [])
        {
            if (!Overlaps(taken, m) && !MathSentence(text, m))
            {
                Add("year", m, new DateOnly(TwoDigitYear(m.Groups["yy"].Value), 1, 1));
            }
        }
        SpelledYears(text, part, found);
        return found;
    }

    /// <summary>a/b/year with day and month in either order: the earlier of the two readings (the one that calls fewer dates future).</summary>
    private static DateOnly? EarlierReading(Match m)
    {
        var year = YearOf(m);
        var us = Date(year, m.Groups["a"].Value, m.Groups["b"].Value);
        var eu = Date(year, m.Groups["b"].Value, m.Groups["a"].Value);
        return us is { } u && eu is { } e ? (u < e ? u : e) : us ?? eu;
    }

    /// <summary>The year of a match: four digits, or two after an apostrophe.</summary>
    private static string YearOf(Match m) =>
        m.Groups["year"].Success ? m.Groups["year"].Value : TwoDigitYear(m.Groups["yy"].Value).ToString(CultureInfo.InvariantCulture);

    /// <summary>'27 is 2027 and '98 is 1998: two digits up to 49 are this century's (the usual two-digit-year window).</summary>
    private static int TwoDigitYear(string yy)
    {
        var n = int.Parse(yy, CultureInfo.InvariantCulture);
        return n <= 49 ? 2000 + n : 1900 + n;
    }

    private static bool Overlaps(List<(int Start, int End)> taken, Match m) =>
        taken.Any(t => m.Index < t.End && t.Start < m.Index + m.Length);

    private static string Month(string name) => name.ToLowerInvariant()[..3] switch
    {
        "jan" => "1", "feb" => "2", "mar" => "3", "apr" => "4", "may" => "5", "jun" => "6",
        "jul" => "7", "aug" => "8", "sep" => "9", "oct" => "10", "nov" => "11", _ => "12",
    };

    private static DateOnly? Date(string y, string m, string d) =>
        int.TryParse(y, CultureInfo.InvariantCulture, out var year) && int.TryParse(m, CultureInfo.InvariantCulture, out var month)
        && int.TryParse(d, CultureInfo.InvariantCulture, out var day) && year is >= 1 and <= 9999 && month is >= 1 and <= 12 && day >= 1
        && day <= DateTime.DaysInMonth(year, month)
            ? new DateOnly(year, month, day)
            : null;
}
