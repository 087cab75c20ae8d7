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
    // Its own gate: the required words with their edges (null: no gate, or a word outside ASCII, then _plain).
    private readonly WordIndex? _own;

    // Its own gate when a word is not ASCII (it may fold to an ASCII letter): any occurrence opens it.
    private readonly SearchValues<string>? _plain;

    // This pattern's bit among the gates answered in one pass per text (<see cref="SharedGates"/>); -1: its own gate.
    private readonly int _shared = -1;

    private readonly string _pattern;
    private readonly RegexOptions _options;
    private Regex? _regex;

    public TextPattern(string pattern, RegexOptions options)
    {
        _pattern = pattern;
        _options = options;
        (Required, _own, _plain, _shared) = Gate(RequiredLiterals.Words(pattern, options));
    }

    /// <summary>Gates an expression that already exists (a source-generated one costs nothing to build).</summary>
    public TextPattern(Regex regex)
    {
        _regex = regex;
        _pattern = regex.ToString();
        _options = regex.Options;
        (Required, _own, _plain, _shared) = Gate(RequiredLiterals.Words(_pattern, _options));
    }

    /// <summary>The words the gate looks for (null: there is no gate; the expression always runs).</summary>
    public IReadOnlyList<string>? Required { get; }

    public Regex Regex => _regex ??= new Regex(_pattern, _options);

    /// <summary>False only if the text cannot match; a whole text (the shared pass answers it when this pattern shares one).</summary>
    public bool MayMatch(string text) => _shared >= 0 ? SharedGates.Open(_shared, text) : MayMatch(text.AsSpan());

    /// <summary>False only if the text cannot match (this pattern's own search, for a part of a text).</summary>
    public bool MayMatch(ReadOnlySpan<char> text) =>
        _own is not null ? _own.Any(text)
        : _plain is null || text.IndexOfAny(_plain) >= 0 || text.ContainsAny(SharedGates.UnusualFolding);

    public bool IsMatch(string text) => MayMatch(text) && Regex.IsMatch(text);

    public bool IsMatch(ReadOnlySpan<char> text) => MayMatch(text) && Regex.IsMatch(text);

    public Match Match(string text) => MayMatch(text) ? Regex.Match(text) : System.Text.RegularExpressions.Match.Empty;

    public IEnumerable<Match> Matches(string text) => MayMatch(text) ? Regex.Matches(text) : [];

    /// <param name="part">A part of a text (a sentence): asked with this pattern's own gate, not the pass shared by a whole text.</param>
    public IEnumerable<Match> Matches(string text, bool part) => (part ? MayMatch(text.AsSpan()) : MayMatch(text)) ? Regex.Matches(text) : [];

    private static (IReadOnlyList<string>?, WordIndex?, SearchValues<string>?, int Shared) Gate(IReadOnlyList<RequiredWord>? words)
    {
        if (words is null)
        {
            return (null, null, null, -1);
        }
        var texts = words.Select(w => w.Text).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
        if (words.Any(w => !w.Text.All(char.IsAscii)))
        {
            return (texts, null, SearchValues.Create(texts.ToArray(), StringComparison.OrdinalIgnoreCase), -1);
        }
        // Edges only count for a word that begins (ends) with a letter or digit: a boundary next to it then means a
        // non-word character there.
        IReadOnlyList<RequiredWord> edged = [.. words.Select(w => w with
        {
            WordStart = w.WordStart && char.IsAsciiLetterOrDigit(w.Text[0]),
            WordEnd = w.WordEnd && char.IsAsciiLetterOrDigit(w.Text[^1]),
        }).Distinct()];
        return (texts, new WordIndex([edged]), null, SharedGates.Register(edged));
    }
}
