using System.Text.RegularExpressions;

namespace Mimicry.Tripwires;

// Dates in informal notes: a month run into its year, slashed dates with the year first or in two digits.
public static partial class TimeReferences
{
    /// <summary>A month's short name run into two digits of its year: "jan26", "Aug-26", "sep'27".</summary>
    [GeneratedRegex(@"\b(?<month>jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[-'’]?(?<yy>\d{2})\b(?![-/.:]\d)", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase)]
    private static partial Regex MonthGluedYearRegex();

    private static readonly TextPattern MonthGluedYear = new(MonthGluedYearRegex());

    /// <summary>yyyy/mm/dd.</summary>
    [GeneratedRegex(@"(?<![\d/.])\b(?<year>(?:19|20|21)\d{2})/(?<m>\d{1,2})/(?<d>\d{1,2})\b(?![/.]\d)", RegexOptions.CultureInvariant)]
    private static partial Regex YearFirstSlashDateRegex();

    private static readonly TextPattern YearFirstSlashDate = new(YearFirstSlashDateRegex());

    /// <summary>a/b/yy after a word that makes it a date ("on 26/11/27", "by 3/4/28"): without one, a/b/yy is as often a ratio.</summary>
    [GeneratedRegex(@"\b(?:on|by|until|till|since|from|dated|before|after)\s+(?<a>\d{1,2})/(?<b>\d{1,2})/(?<yy>\d{2})\b(?![/.]\d)", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase)]
    private static partial Regex ShortSlashDateRegex();

    private static readonly TextPattern ShortSlashDate = new(ShortSlashDateRegex());

    /// <summary>Whether a letter (or a letter and a dash or apostrophe) stands right before two digits somewhere: "jan27", "Aug-26".</summary>
    private static bool LetterBeforeTwoDigits(string text)
    {
        for (var i = text.AsSpan().IndexOfAnyInRange('0', '9'); i >= 0 && i + 1 < text.Length; i = NextDigit(text, i + 1))
        {
            var b = i - 1;
            if (b >= 0 && text[b] is '-' or '\'' or '’')
            {
                b--;
            }
            if (b >= 0 && char.IsAsciiLetter(text[b]) && char.IsAsciiDigit(text[i + 1]))
            {
                return true;
            }
        }
        return false;
    }

    private static int NextDigit(string text, int from)
    {
        var j = text.AsSpan(from).IndexOfAnyInRange('0', '9');
        return j < 0 ? -1 : from + j;
    }
}
