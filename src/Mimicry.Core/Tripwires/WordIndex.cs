using System.Buffers;

namespace Mimicry.Tripwires;

/// <summary>
/// The required words of one or more patterns (ASCII, compared ignoring case) in a trie, with one vectorized search
/// for where any of them may begin: which patterns' words stand in a text at the word edges they need. One per
/// pattern for its own gate (<see cref="TextPattern"/>), and one for all the patterns that share a pass
/// (<see cref="SharedGates"/>).
/// </summary>
internal sealed class WordIndex
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

    public WordIndex(IReadOnlyList<IReadOnlyList<RequiredWord>> registered)
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

    /// <summary>One bit per pattern whose words stand in <paramref name="text"/> where they must (all bits: a folding character).</summary>
    public UInt128 Scan(ReadOnlySpan<char> text) => Scan(text, firstOnly: false);

    /// <summary>Whether any pattern's word stands in <paramref name="text"/> where it must (stops at the first).</summary>
    public bool Any(ReadOnlySpan<char> text) => Scan(text, firstOnly: true) != UInt128.Zero;

    private UInt128 Scan(ReadOnlySpan<char> text, bool firstOnly)
    {
        if (text.ContainsAny(SharedGates.UnusualFolding))
        {
            return UInt128.MaxValue;
        }
        var mask = UInt128.Zero;
        var at = text.IndexOfAny(_any);
        while (at >= 0 && !(firstOnly && mask != UInt128.Zero))
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
        var startsWord = at == 0 || !SharedGates.IsWordChar(text[at - 1]);
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
            var endsWord = i + 1 == text.Length || !SharedGates.IsWordChar(text[i + 1]);
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
