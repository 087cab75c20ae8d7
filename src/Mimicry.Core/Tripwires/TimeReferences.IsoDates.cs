using System.Globalization;
using System.Text.RegularExpressions;

namespace Mimicry.Tripwires;

// ISO dates (yyyy-mm-dd), read by hand: the commonest form, and the one every synthetic candidate opens with.
public static partial class TimeReferences
{
    [GeneratedRegex(@"\b(?<year>(?:19|20|21)\d{2})-(?<m>\d{2})-(?<d>\d{2})\b", RegexOptions.CultureInvariant)]
    internal static partial Regex IsoDateRegex();

    /// <summary>Where <see cref="IsoDateRegex"/> matches: yyyy-mm-dd (a year 19xx to 21xx, decimal digits) between word boundaries.</summary>
    internal static IEnumerable<int> IsoDateStarts(string text)
    {
        // Each dash is tried as a date's first; two dates cannot overlap (a boundary must follow each).
        for (var dash = text.IndexOf('-'); dash >= 0; dash = text.IndexOf('-', dash + 1))
        {
            var at = dash - 4;
            if (at >= 0 && at + 10 <= text.Length && IsIsoDate(text.AsSpan(at, 10))
                && (at == 0 || !IsRegexWordChar(text[at - 1])) && (at + 10 == text.Length || !IsRegexWordChar(text[at + 10])))
            {
                yield return at;
            }
        }
    }

    private static bool IsIsoDate(ReadOnlySpan<char> s) =>
        (s[0], s[1]) is ('1', '9') or ('2', '0') or ('2', '1') && char.IsDigit(s[2]) && char.IsDigit(s[3]) && s[4] == '-'
        && char.IsDigit(s[5]) && char.IsDigit(s[6]) && s[7] == '-' && char.IsDigit(s[8]) && char.IsDigit(s[9]);

    /// <summary>A word character to a regular expression's <c>\b</c>: a letter, a non-spacing mark, a decimal digit, a connector, or a zero-width (non-)joiner.</summary>
    private static bool IsRegexWordChar(char c) =>
        c is '\u200C' or '\u200D' || char.GetUnicodeCategory(c) is UnicodeCategory.UppercaseLetter or UnicodeCategory.LowercaseLetter or UnicodeCategory.TitlecaseLetter
            or UnicodeCategory.ModifierLetter or UnicodeCategory.OtherLetter or UnicodeCategory.NonSpacingMark or UnicodeCategory.DecimalDigitNumber or UnicodeCategory.ConnectorPunctuation;
}
