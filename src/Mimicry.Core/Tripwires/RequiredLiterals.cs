using System.Text.RegularExpressions;

namespace Mimicry.Tripwires;

/// <summary>
/// Reads a regular expression and finds words that every match must contain: a set such that any text the pattern
/// matches holds at least one of them (compared ignoring case). "\b(?:ignor(?:e|ing)|set\s+aside)\b" needs "ignor"
/// or "aside". A text with none of them cannot match, so a vectorized search for the set can stand in for running the
/// pattern over the many texts that hold none (<see cref="TextPattern"/>). The reading is conservative: any
/// construct it does not know (a backreference, a conditional, free-spacing mode) gives no set, and then the pattern
/// always runs.
/// </summary>
public static partial class RequiredLiterals
{
    /// <summary>The set, or null if the pattern can match without any literal this reading can name.</summary>
    public static IReadOnlyList<string>? Of(string pattern, RegexOptions options) =>
        Words(pattern, options)?.Select(w => w.Text).Distinct(StringComparer.OrdinalIgnoreCase).ToList();

    /// <summary>
    /// The set with what the pattern says about each word's edges: a <c>\b</c> right before it (or after it) means
    /// every match has a word boundary there, so an occurrence inside a longer word ("ai" in "against") cannot be
    /// the one a match needs (<see cref="TextPattern"/> skips such occurrences). Null as for <see cref="Of"/>.
    /// </summary>
    public static IReadOnlyList<RequiredWord>? Words(string pattern, RegexOptions options)
    {
        if ((options & (RegexOptions.IgnorePatternWhitespace | RegexOptions.RightToLeft)) != 0)
        {
            return null;
        }
        try
        {
            var parser = new Parser(pattern);
            var set = parser.Alternation();
            if (!parser.AtEnd || set is not { Count: > 0 })
            {
                return null;
            }
            // ECMAScript word characters are ASCII only: a letter such as 'é' next to a word is then a boundary.
            var edges = (options & RegexOptions.ECMAScript) == 0;
            return set.Select(l => new RequiredWord(l.Text, edges && l.Start == Edge.Word, edges && l.End == Edge.Word)).Distinct().ToList();
        }
        catch (FormatException)
        {
            return null;
        }
    }

    /// <summary>Where a required word sits against its neighbours in every match.</summary>
    private enum Edge
    {
        /// <summary>Nothing known.</summary>
        None,

        /// <summary>At the edge of the group (or branch) it was read in: the enclosing sequence decides.</summary>
        Open,

        /// <summary>A <c>\b</c> is next to it.</summary>
        Word,
    }

    private readonly record struct Literal(string Text, Edge Start, Edge End);
}

/// <summary>A word every match of a pattern needs, and whether every match has a word boundary right before it or right after it.</summary>
public readonly record struct RequiredWord(string Text, bool WordStart, bool WordEnd);
