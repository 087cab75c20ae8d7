using System.Globalization;
using System.Text.RegularExpressions;

namespace Mimicry.Tripwires;

// Bare years and year spans: when a number that could be a year is read as a time, and when as a number.
public static partial class TimeReferences
{
    /// <summary>Two consecutive years as one span ("2028-29", "2028/2029", "2028–29"): a season, a school or fiscal year.</summary>
    [GeneratedRegex(@"\b(?<year>(?:19|20|21)\d{2})\s*[-–/]\s*(?<to>(?:19|20|21)?\d{2})\b(?![-/.]\d)", RegexOptions.CultureInvariant)]
    private static partial Regex YearSpanRegex();

    private static readonly TextPattern YearSpan = new(YearSpanRegex());

    [GeneratedRegex(@"^\s*(?:winter|summer|season|seasons|academic|school|fiscal|financial|term|terms|semester|campaign|cohort|harvest|budget|year)\b", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase)]
    private static partial Regex PeriodAfter();

    /// <summary>An ISO month, yyyy-mm ("the 2027-06 update"); not inside a longer run of digits and dashes.</summary>
    [GeneratedRegex(@"(?<![-\w.])(?<year>(?:19|20|21)\d{2})-(?<m>0[1-9]|1[0-2])\b(?![-/.]\d)", RegexOptions.CultureInvariant)]
    private static partial Regex IsoMonthRegex();

    private static readonly TextPattern IsoMonth = new(IsoMonthRegex());

    /// <summary>A two-digit year after a time word ("in '26", "late '27", "mid-'28", "by ’29").</summary>
    [GeneratedRegex(@"\b(?:in|by|since|until|till|during|after|before|around|circa|early|mid|late|of)[\s-]+['’](?<yy>\d{2})\b(?!['’\d])", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase)]
    private static partial Regex ShortYearRegex();

    private static readonly TextPattern ShortYear = new(ShortYearRegex());

    /// <summary>A year spelled out after a time word ("by twenty twenty-nine", "in two thousand and thirty").</summary>
    [GeneratedRegex(@"\b(?:in|by|since|until|till|during|after|before|around|circa|early|mid|late|of|the\s+year)[\s-]+(?:twenty[\s-]+(?:(?<t>twenty|thirty|forty)(?:[\s-]+(?<u>one|two|three|four|five|six|seven|eight|nine))?|(?<teen>ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen))|two\s+thousand(?:\s+and)?\s+(?:(?<t>twenty|thirty|forty)(?:[\s-]+(?<u>one|two|three|four|five|six|seven|eight|nine))?|(?<teen>ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen)|(?<u>one|two|three|four|five|six|seven|eight|nine)))\b(?![\s-]+(?:percent|per\s+cent|times|of\b|years?\b))", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase)]
    private static partial Regex SpelledYearRegex();

    private static readonly TextPattern SpelledYear = new(SpelledYearRegex());

    private static readonly string[] Units = ["one", "two", "three", "four", "five", "six", "seven", "eight", "nine"];

    private static readonly string[] Teens = ["ten", "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen"];

    private static void SpelledYears(string text, bool part, List<TimeReference> found)
    {
        foreach (Match m in SpelledYear.Matches(text, part))
        {
            var year = 2000;
            if (m.Groups["teen"].Success)
            {
                year += 10 + Array.IndexOf(Teens, m.Groups["teen"].Value.ToLowerInvariant());
            }
            else
            {
                year += m.Groups["t"].Value.ToLowerInvariant() switch { "twenty" => 20, "thirty" => 30, "forty" => 40, _ => 0 };
                year += m.Groups["u"].Success ? 1 + Array.IndexOf(Units, m.Groups["u"].Value.ToLowerInvariant()) : 0;
            }
            found.Add(new TimeReference("year", m.Value, new DateOnly(year, 1, 1)));
        }
    }

    [GeneratedRegex(@"\b(?<year>(?:19|20|21)\d{2})(?:'?s\b|\b)", RegexOptions.CultureInvariant)]
    private static partial Regex BareYearRegex();

    private static readonly TextPattern BareYear = new(BareYearRegex());

    /// <summary>Words before a year that make it a time: prepositions, determiners, possessives.</summary>
    [GeneratedRegex(@"(?:\b(?:in|by|since|from|until|till|after|before|during|around|circa|ca\.|c\.|early|mid|late|through|throughout|of|the|our|their|his|her|its|my|your|this|that|whose|year|years|until|to|in\s+the\s+year|come|spring|summer|autumn|fall|winter|season|fiscal|financial|academic|calendar|school|michaelmas|hilary|trinity|lent|easter|christmas|(?:semester|term|trimester|week)\s+\d{1,2},?|opened|reopened|closed|founded|launched|released|published|completed|finished|retired|died|born|started|ended|expired|expires|due|demolished|sold|renamed)|'s)[\s-]*$", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase)]
    private static partial Regex TemporalBefore();

    /// <summary>Arithmetic around a year: then it is a number ("2029 is prime", "mod 2027", "= 2·1013", "[2030, 2040]").</summary>
    [GeneratedRegex(@"(?:[=<>+*/^·×≤≥≈]|\bmod\b|\bmodulo\b|\^|\[|\(|\bn\s*=|\bk\s*=)\s*$", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase)]
    private static partial Regex ArithmeticBefore();

    [GeneratedRegex(@"^\s*(?:[=<>+*/^·×²³≤≥≈\]\)]|,\s*\d|\s*-\s*\d|is\s+(?:prime|even|odd|composite|a\s+(?:prime|square|sum))|per\b|[x×]\s*\d|mod\b|bits?\b|bytes?\b|[kmgt]?b\b|ms\b|px\b|nm\b|hz\b|rows?\b|points?\b|iterations?\b|samples?\b|steps?\b|tokens?\b|×)", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase)]
    private static partial Regex ArithmeticAfter();

    /// <summary>Whether a year-like number (19xx to 21xx) stands outside every form already read: only then can a bare year be one.</summary>
    private static bool YearOutside(string text, List<(int Start, int End)> taken)
    {
        for (var i = 0; i + 4 <= text.Length; i++)
        {
            if ((text[i], text[i + 1]) is ('1', '9') or ('2', '0') or ('2', '1') && char.IsDigit(text[i + 2]) && char.IsDigit(text[i + 3])
                && !taken.Any(t => i < t.End && t.Start < i + 4))
            {
                return true;
            }
        }
        return false;
    }


    /// <summary>Whether an apostrophe and two digits stand outside every form already read: only then can a short year be one.</summary>
    private static bool ApostropheYearOutside(string text, List<(int Start, int End)> taken)
    {
        for (var i = text.IndexOfAny(['\'', '’']); i >= 0 && i + 2 < text.Length; i = text.IndexOfAny(['\'', '’'], i + 1))
        {
            if (char.IsAsciiDigit(text[i + 1]) && char.IsAsciiDigit(text[i + 2]) && !taken.Any(t => i < t.End && t.Start <= i))
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>yyyy-mm is a month outside arithmetic, code and math, unless it is as well two consecutive years ("2027-28", a span).</summary>
    private static bool ReadsAsIsoMonth(string text, Match m)
    {
        var year = int.Parse(m.Groups["year"].Value, CultureInfo.InvariantCulture);
        var month = int.Parse(m.Groups["m"].Value, CultureInfo.InvariantCulture);
        var before = text[Math.Max(0, m.Index - 24)..m.Index];
        return month != (year + 1) % 100 && !ArithmeticBefore().IsMatch(before) && !InDigitsOrCode(text, m) && !MathSentence(text, m);
    }

    /// <summary>A year span is a time when the second year follows the first, outside arithmetic and code, after a time word or before a period's name.</summary>
    private static bool ReadsAsSpan(string text, Match m)
    {
        var first = int.Parse(m.Groups["year"].Value, CultureInfo.InvariantCulture);
        var to = m.Groups["to"].Value;
        var next = to.Length == 4 ? int.Parse(to, CultureInfo.InvariantCulture) : (first / 100 * 100) + int.Parse(to, CultureInfo.InvariantCulture);
        if (next != first + 1)
        {
            return false;
        }
        var before = text[Math.Max(0, m.Index - 24)..m.Index];
        var after = text[(m.Index + m.Length)..Math.Min(text.Length, m.Index + m.Length + 24)];
        if (ArithmeticBefore().IsMatch(before) || InDigitsOrCode(text, m) || MathSentence(text, m))
        {
            return false;
        }
        return TemporalBefore().IsMatch(before) || SentenceStart(before) || PeriodAfter().IsMatch(after);
    }

    private static bool ReadsAsTime(string text, Match m)
    {
        var before = text[Math.Max(0, m.Index - 24)..m.Index];
        var after = text[(m.Index + m.Length)..Math.Min(text.Length, m.Index + m.Length + 24)];
        if (ArithmeticBefore().IsMatch(before) || ArithmeticAfter().IsMatch(after) || InDigitsOrCode(text, m))
        {
            return false;
        }
        if (MathSentence(text, m) || (CountBefore().IsMatch(before) && CountAfter().IsMatch(after)))
        {
            return false;
        }
        // A decade ("the 2030s"), a year after a time word or a determiner ("in 2030", "the 2030 census", "our 2027
        // paper"), or one that starts a sentence ("2031 was the year"); not a count in mid-sentence ("2031 of them").
        return m.Value.EndsWith('s') || TemporalBefore().IsMatch(before) || SentenceStart(before) || after.StartsWith("-ish", StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>A word before a number that counts things ("of 2048 slots", "to 2048 units", "with 2030 keys").</summary>
    [GeneratedRegex(@"\b(?:of|to|from|with|than|about|roughly|only|over|under|nearly|exactly|all|some|another|opened|reopened|closed|launched|released|published|completed|finished|started|ended|sold)\s+$", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase)]
    private static partial Regex CountBefore();

    /// <summary>The things counted: a plural noun in lower case, not one that a year names ("2030 elections").</summary>
    [GeneratedRegex(@"^\s+(?!(?:elections|games|olympics|accounts|results|rules|regulations|standards|guidelines|figures|sales|prices|rates|estimates|projections|forecasts|rankings|championships|finals|midterms|exams|admissions|graduates|cohorts|budgets|reforms)\b)[a-z]{2,}[a-rt-z]s\b", RegexOptions.CultureInvariant)]
    private static partial Regex CountAfter();

    /// <summary>Part of a longer number, a version or an identifier (1.2030, v2030, 2030ms, x2030).</summary>
    private static bool InDigitsOrCode(string text, Match m)
    {
        var i = m.Index - 1;
        var j = m.Index + m.Length;
        return (i >= 0 && (char.IsLetterOrDigit(text[i]) || text[i] is '.' or '_' or '#' or '$' or '@'))
            || (j < text.Length && (char.IsDigit(text[j]) || text[j] == '_' || (text[j] == '.' && j + 1 < text.Length && char.IsDigit(text[j + 1]))));
    }

    private static bool SentenceStart(string before)
    {
        var t = before.TrimEnd();
        return t.Length == 0 || t[^1] is '.' or '!' or '?' or ';' or '\n' or '(' or '"';
    }

    /// <summary>The year's sentence is arithmetic: it speaks of primes, residues, intervals or equations.</summary>
    private static bool MathSentence(string text, Match m)
    {
        var start = m.Index;
        while (start > 0 && m.Index - start < 300 && !(text[start - 1] is '\n' || (text[start - 1] is ' ' && start >= 2 && text[start - 2] is '.' or '!' or '?')))
        {
            start--;
        }
        var end = m.Index + m.Length;
        while (end < text.Length && end - m.Index < 300 && !(text[end] is '\n' || (text[end] is '.' or '!' or '?' && (end + 1 == text.Length || text[end + 1] == ' '))))
        {
            end++;
        }
        return MathWords().IsMatch(text.AsSpan(start, end - start));
    }

    [GeneratedRegex(@"\b(?:prime|primes|mod|modulo|integral|integrals|integrand|derivative|logarithm|ln|log|residues?|integers?|divisible|divides|factori[sz]ation|interval|lattice|radius|matrix|squares?|sequence|binomial|theorem|lemma|congruen\w*|a_k)\b|\d\s*[=·×^²]|[=·×^²]\s*\d", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase)]
    private static partial Regex MathWords();
}
