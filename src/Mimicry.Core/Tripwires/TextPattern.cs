using System.Buffers;
using System.Text.RegularExpressions;

namespace Mimicry.Tripwires;

/// <summary>
/// A detector's regular expression behind a vectorized gate: a text holding none of the words every match needs
/// (<see cref="RequiredLiterals"/>) is answered "no match" without running the expression, which is what most
/// candidates are, most of the time. A word the pattern needs at a word boundary ("\b(?:ai|llm)\b") opens the gate
/// only where it stands at one: "ai" inside "against" does not. The expression itself is built on first use, so a
/// run whose texts never pass the gate never pays for building it (tens of milliseconds each for the non-backtracking engine).
/// </summary>
public sealed class TextPattern
{

    private readonly SearchValues<string>? _gate;

    // The required words by their first character (ASCII, lower case), for the patterns whose words have edges to check;
    // null when no word has one (any occurrence opens the gate).
    private readonly RequiredWord[][]? _byFirst;

    // This pattern's bit among the gates answered in one pass per text (<see cref="SharedGates"/>); -1: its own gate.
    private readonly int _shared = -1;
    private readonly string _pattern;
    private readonly RegexOptions _options;
    private Regex? _regex;

    public TextPattern(string pattern, RegexOptions options)
    {
        _pattern = pattern;
        _options = options;
        (Required, _gate, _byFirst, var words) = Gate(RequiredLiterals.Words(pattern, options));
        _shared = words is null ? -1 : SharedGates.Register(words);
    }

    /// <summary>Gates an expression that already exists (a source-generated one costs nothing to build).</summary>
    public TextPattern(Regex regex)
    {
        _regex = regex;
        _pattern = regex.ToString();
        _options = regex.Options;
        (Required, _gate, _byFirst, var words) = Gate(RequiredLiterals.Words(_pattern, _options));
        _shared = words is null ? -1 : SharedGates.Register(words);
    }

    /// <summary>The words the gate looks for (null: there is no gate; the expression always runs).</summary>
    public IReadOnlyList<string>? Required { get; }

    public Regex Regex => _regex ??= new Regex(_pattern, _options);

    /// <summary>False only if the text cannot match: it holds none of the required words.</summary>
    /// <summary>False only if the text cannot match; a whole text (the shared pass answers it when this pattern shares one).</summary>
    public bool MayMatch(string text) => _shared >= 0 ? SharedGates.Open(_shared, text) : MayMatch(text.AsSpan());

    /// <summary>False only if the text cannot match (this pattern's own search, for a part of a text).</summary>
    public bool MayMatch(ReadOnlySpan<char> text)
    {
        if (_gate is null)
        {
            return true;
        }
        var at = text.IndexOfAny(_gate);
        if (at < 0)
        {
            return text.ContainsAny(SharedGates.UnusualFolding);
        }
        if (_byFirst is null)
        {
            return true;
        }
        // Each occurrence until one stands where the pattern needs it (bounded work per position: linear).
        while (at >= 0)
        {
            if (Fits(text, at))
            {
                return true;
            }
            var next = text[(at + 1)..].IndexOfAny(_gate);
            at = next < 0 ? -1 : at + 1 + next;
        }
        return text.ContainsAny(SharedGates.UnusualFolding);
    }

    private bool Fits(ReadOnlySpan<char> text, int at)
    {
        var first = char.ToLowerInvariant(text[at]);
        if (first >= 128)
        {
            return true;
        }
        foreach (var w in _byFirst![first])
        {
            if (text[at..].StartsWith(w.Text, StringComparison.OrdinalIgnoreCase)
                && !(w.WordStart && at > 0 && IsWordChar(text[at - 1]))
                && !(w.WordEnd && at + w.Text.Length < text.Length && IsWordChar(text[at + w.Text.Length])))
            {
                return true;
            }
        }
        return false;
    }

    private static bool IsWordChar(char c) => SharedGates.IsWordChar(c);

    public bool IsMatch(string text) => MayMatch(text) && Regex.IsMatch(text);

    public bool IsMatch(ReadOnlySpan<char> text) => MayMatch(text) && Regex.IsMatch(text);

    public Match Match(string text) => MayMatch(text) ? Regex.Match(text) : System.Text.RegularExpressions.Match.Empty;

    public IEnumerable<Match> Matches(string text) => MayMatch(text) ? Regex.Matches(text) : [];

    /// <param name="part">A part of a text (a sentence): asked with this pattern's own gate, not the pass shared by a whole text.</param>
    public IEnumerable<Match> Matches(string text, bool part) => (part ? MayMatch(text.AsSpan()) : MayMatch(text)) ? Regex.Matches(text) : [];

    private static (IReadOnlyList<string>?, SearchValues<string>?, RequiredWord[][]?, IReadOnlyList<RequiredWord>?) Gate(IReadOnlyList<RequiredWord>? words)
    {
        if (words is null)
        {
            return (null, null, null, null);
        }
        var texts = words.Select(w => w.Text).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
        var gate = SearchValues.Create(texts.ToArray(), StringComparison.OrdinalIgnoreCase);
        // Edges only count for a word that begins (ends) with a letter or digit: a boundary next to it then means a
        // non-word character there. A word starting outside ASCII (which may fold to an ASCII letter) turns the checks off.
        var edged = words.Select(w => w with
        {
            WordStart = w.WordStart && char.IsAsciiLetterOrDigit(w.Text[0]),
            WordEnd = w.WordEnd && char.IsAsciiLetterOrDigit(w.Text[^1]),
        }).Distinct().ToList();
        if (!edged.Any(w => w.WordStart || w.WordEnd) || edged.Any(w => !char.IsAscii(w.Text[0])))
        {
            return (texts, gate, null, edged);
        }
        var byFirst = new RequiredWord[128][];
        for (var c = 0; c < 128; c++)
        {
            byFirst[c] = [.. edged.Where(w => char.ToLowerInvariant(w.Text[0]) == (char)c)];
        }
        return (texts, gate, byFirst, edged);
    }
}
