using System.Buffers;

namespace Mimicry.Tripwires;

/// <summary>
/// The gates of many <see cref="TextPattern"/>s answered by one pass over a text. Each pattern would otherwise search
/// the whole text for its own words, once per pattern: on a short candidate that is dozens of searches for one
/// answer ("none of my words is here"). Here one search finds where any pattern's word begins, a trie reads which
/// words stand there (and whether they stand at the word edges their pattern needs), and the result is one bit per
/// pattern, kept for the last text the thread asked about (the detectors ask about the same candidate many times).
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
    private static Index? _current;

    [ThreadStatic]
    private static string? _lastText;

    [ThreadStatic]
    private static Index? _lastIndex;

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

    private static Index Rebuild()
    {
        lock (Sync)
        {
            if (_current is null || _current.Count < Registered.Count)
            {
                Volatile.Write(ref _current, new Index(Registered));
            }
            return _current;
        }
    }

    /// <summary>A trie of every registered word (ASCII, lower case), and one search for where any of them may begin.</summary>
    private sealed class Index
    {
        private readonly SearchValues<string> _any;

        // Node 0 is the root. Children of a node are a run in _edgeChar/_edgeNode, from _firstEdge[n] for _edgeCount[n].
        private readonly int[] _rootChild = new int[128];
        private readonly int[] _firstEdge;
        private readonly int[] _edgeCount;
        private readonly char[] _edgeChar;
        private readonly int[] _edgeNode;

        // The words ending at each node: their pattern's bit and their edges.
        private readonly (int Id, bool Start, bool End)[][] _ends;

        public Index(List<IReadOnlyList<RequiredWord>> registered)
        {
            Count = registered.Count;
            var children = new List<SortedDictionary<char, int>> { new() };
            var ends = new List<List<(int, bool, bool)>> { new() };
            for (var id = 0; id < registered.Count; id++)
            {
                foreach (var w in registered[id])
                {
                    var node = 0;
                    foreach (var ch in w.Text)
                    {
                        var c = char.ToLowerInvariant(ch);
                        if (!children[node].TryGetValue(c, out var next))
                        {
                            next = children.Count;
                            children[node][c] = next;
                            children.Add(new());
                            ends.Add(new());
                        }
                        node = next;
                    }
                    ends[node].Add((id, w.WordStart, w.WordEnd));
                }
            }
            _firstEdge = new int[children.Count];
            _edgeCount = new int[children.Count];
            var chars = new List<char>();
            var nodes = new List<int>();
            for (var n = 0; n < children.Count; n++)
            {
                _firstEdge[n] = chars.Count;
                _edgeCount[n] = children[n].Count;
                foreach (var (c, next) in children[n])
                {
                    chars.Add(c);
                    nodes.Add(next);
                }
            }
            _edgeChar = [.. chars];
            _edgeNode = [.. nodes];
            foreach (var (c, next) in children[0])
            {
                _rootChild[c] = next;
            }
            _ends = [.. ends.Select(e => e.Distinct().ToArray())];
            _any = SearchValues.Create(registered.SelectMany(r => r.Select(w => w.Text)).Distinct(StringComparer.OrdinalIgnoreCase).ToArray(), StringComparison.OrdinalIgnoreCase);
        }

        public int Count { get; }

        public UInt128 Scan(ReadOnlySpan<char> text)
        {
            if (text.ContainsAny(UnusualFolding))
            {
                return UInt128.MaxValue;
            }
            var mask = UInt128.Zero;
            var at = text.IndexOfAny(_any);
            while (at >= 0)
            {
                mask |= WordsAt(text, at);
                var next = text[(at + 1)..].IndexOfAny(_any);
                at = next < 0 ? -1 : at + 1 + next;
            }
            return mask;
        }

        /// <summary>The bits of the patterns whose words stand at <paramref name="at"/>, at the edges they need.</summary>
        private UInt128 WordsAt(ReadOnlySpan<char> text, int at)
        {
            var mask = UInt128.Zero;
            var startsWord = at == 0 || !IsWordChar(text[at - 1]);
            var node = 0;
            for (var i = at; i < text.Length; i++)
            {
                var c = text[i];
                if (c >= 128)
                {
                    break;
                }
                c = char.ToLowerInvariant(c);
                node = node == 0 ? _rootChild[c] : Child(node, c);
                if (node <= 0)
                {
                    break;
                }
                var endsWord = i + 1 == text.Length || !IsWordChar(text[i + 1]);
                foreach (var (id, start, end) in _ends[node])
                {
                    if ((!start || startsWord) && (!end || endsWord))
                    {
                        mask |= UInt128.One << id;
                    }
                }
            }
            return mask;
        }

        private int Child(int node, char c)
        {
            var first = _firstEdge[node];
            var chars = _edgeChar.AsSpan(first, _edgeCount[node]);
            var k = chars.IndexOf(c);
            return k < 0 ? -1 : _edgeNode[first + k];
        }
    }

    // Surely a word character to the regular expression's \b (letters, decimal digits, '_'); a character it might
    // count either way (marks, joiners) is taken as not, which only lets more texts through.
    internal static bool IsWordChar(char c) => char.IsLetterOrDigit(c) || c == '_';
}
