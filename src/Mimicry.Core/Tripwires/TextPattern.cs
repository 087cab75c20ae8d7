using System.Buffers;
using System.Text.RegularExpressions;

namespace Mimicry.Tripwires;

/// <summary>
/// A detector's regular expression behind a vectorized gate: a text holding none of the words every match needs
/// (<see cref="RequiredLiterals"/>) is answered "no match" without running the expression, which is what most
/// candidates are, most of the time. The expression itself is built on first use, so a run whose texts never pass
/// the gate never pays for building it (tens of milliseconds each for the non-backtracking engine).
/// </summary>
public sealed class TextPattern
{
    // Characters that match an ASCII letter when case is ignored but that an ordinal case-insensitive search does not
    // fold to it (KELVIN SIGN ~ k, LATIN SMALL LETTER LONG S ~ s, ANGSTROM SIGN ~ å): a text with one skips the gate.
    private static readonly SearchValues<char> UnusualFolding = SearchValues.Create("\u212A\u017F\u212B");

    private readonly SearchValues<string>? _gate;
    private readonly string _pattern;
    private readonly RegexOptions _options;
    private Regex? _regex;

    public TextPattern(string pattern, RegexOptions options)
    {
        _pattern = pattern;
        _options = options;
        Required = RequiredLiterals.Of(pattern, options);
        _gate = Gate(Required);
    }

    /// <summary>Gates an expression that already exists (a source-generated one costs nothing to build).</summary>
    public TextPattern(Regex regex)
    {
        _regex = regex;
        _pattern = regex.ToString();
        _options = regex.Options;
        Required = RequiredLiterals.Of(_pattern, _options);
        _gate = Gate(Required);
    }

    /// <summary>The words the gate looks for (null: there is no gate; the expression always runs).</summary>
    public IReadOnlyList<string>? Required { get; }

    public Regex Regex => _regex ??= new Regex(_pattern, _options);

    /// <summary>False only if the text cannot match: it holds none of the required words.</summary>
    public bool MayMatch(ReadOnlySpan<char> text) => _gate is null || text.IndexOfAny(_gate) >= 0 || text.ContainsAny(UnusualFolding);

    public bool IsMatch(string text) => MayMatch(text) && Regex.IsMatch(text);

    public bool IsMatch(ReadOnlySpan<char> text) => MayMatch(text) && Regex.IsMatch(text);

    public Match Match(string text) => MayMatch(text) ? Regex.Match(text) : System.Text.RegularExpressions.Match.Empty;

    public IEnumerable<Match> Matches(string text) => MayMatch(text) ? Regex.Matches(text) : [];

    private static SearchValues<string>? Gate(IReadOnlyList<string>? words) =>
        words is null ? null : SearchValues.Create(words.ToArray(), StringComparison.OrdinalIgnoreCase);
}
