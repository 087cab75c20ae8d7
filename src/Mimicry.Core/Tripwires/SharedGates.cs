using System.Buffers;

namespace Mimicry.Tripwires;

/// <summary>
/// The gates of many <see cref="TextPattern"/>s answered by one pass over a text. Each pattern would otherwise search
/// the whole text for its own words, once per pattern: on a short candidate that is dozens of searches for one
/// answer ("none of my words is here"). Here one search finds where any pattern's word begins, a trie reads which
/// words stand there (and whether they stand at the word edges their pattern needs: <see cref="WordIndex"/>), and
/// the result is one bit per pattern, kept for the last text the thread asked about (the detectors ask about the same candidate many times).
/// The answer is exactly the per-pattern gate's; only the work is shared.
/// </summary>
internal static class SharedGates
{
    /// <summary>How many patterns can share (one bit each); later ones keep their own gate.</summary>
    public const int Capacity = 128;

    // Characters that fold to or from an ASCII letter in ways the ASCII-only trie does not follow (KELVIN SIGN,
    // LONG S, ANGSTROM SIGN, the Turkish dotted and dotless i): a text holding one opens every gate.
    internal static readonly SearchValues<char> UnusualFolding = SearchValues.Create("\u212A\u017F\u212B\u0130\u0131");

    private static readonly Lock Sync = new();
    private static readonly List<IReadOnlyList<RequiredWord>> Registered = [];
    private static WordIndex? _current;

    [ThreadStatic]
    private static string? _lastText;

    [ThreadStatic]
    private static WordIndex? _lastIndex;

    [ThreadStatic]
    private static UInt128 _lastMask;

    /// <summary>
    /// Takes a pattern's required words (edges already checked); its bit, or -1 if it keeps its own gate: when a bit is
    /// no longer free, when a word is not ASCII, or when one is a single character or a number ("-", "u", "20"), which
    /// would stop the shared search at almost every line of ordinary text.
    /// </summary>
    public static int Register(IReadOnlyList<RequiredWord> words)
    {
        if (words.Count == 0 || words.Any(w => w.Text.Length < 2 || !w.Text.All(char.IsAscii) || (w.Text.Any(char.IsAsciiDigit) && !w.Text.Any(char.IsAsciiLetter))))
        {
            return -1;
        }
        lock (Sync)
        {
            if (Registered.Count >= Capacity)
            {
                return -1;
            }
            Registered.Add(words);
            return Registered.Count - 1;
        }
    }

    /// <summary>Whether the gate of the pattern with bit <paramref name="id"/> lets <paramref name="text"/> through.</summary>
    public static bool Open(int id, string text)
    {
        var index = Volatile.Read(ref _current);
        if (index is null || id >= index.Count)
        {
            index = Rebuild();
        }
        if (!ReferenceEquals(text, _lastText) || !ReferenceEquals(index, _lastIndex))
        {
            _lastMask = index.Scan(text);
            _lastText = text;
            _lastIndex = index;
        }
        return ((_lastMask >> id) & UInt128.One) != UInt128.Zero;
    }

    private static WordIndex Rebuild()
    {
        lock (Sync)
        {
            if (_current is null || _current.Count < Registered.Count)
            {
                Volatile.Write(ref _current, new WordIndex(Registered));
            }
            return _current;
        }
    }

    // Surely a word character to the regular expression's \b (letters, decimal digits, '_'); a character it might
    // count either way (marks, joiners) is taken as not, which only lets more texts through.
    internal static bool IsWordChar(char c) => char.IsLetterOrDigit(c) || c == '_';
}
