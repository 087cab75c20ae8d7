namespace Mimicry.Tripwires;

// The parser's sequences: alternations and concatenations, where each required word stands against its neighbours,
// and which of a sequence's sets makes the most selective gate.
public static partial class RequiredLiterals
{
    /// <summary>
    /// A recursive-descent reading of the pattern that returns, for each part, the words every match of it contains
    /// (null: none known). A concatenation keeps the best of its parts' sets; an alternation needs one from each branch.
    /// </summary>
    private sealed partial class Parser(string p)
    {
        private int _i;

        public bool AtEnd => _i == p.Length;

        // What the last group (or branch) read says about its edges: every branch begins (ends) with a character that
        // is never a word character, or with a word boundary. Read by the sequence that holds the group.
        private bool _startsAtEdge;
        private bool _endsAtEdge;

        public List<Literal>? Alternation()
        {
            var branches = new List<List<Literal>?> { Concatenation() };
            bool starts = _startsAtEdge, ends = _endsAtEdge;
            while (_i < p.Length && p[_i] == '|')
            {
                _i++;
                branches.Add(Concatenation());
                starts &= _startsAtEdge;
                ends &= _endsAtEdge;
            }
            (_startsAtEdge, _endsAtEdge) = (starts, ends);
            return branches.Any(b => b is null) ? null : branches.SelectMany(b => b!).ToList();
        }

        /// <summary>One part of a sequence: its words, whether it begins or ends at an edge, and whether it can match nothing.</summary>
        private readonly record struct Item(List<Literal>? Set, bool StartsAtEdge, bool EndsAtEdge, bool Optional);

        private List<Literal>? Concatenation()
        {
            // One item per atom read (a run of plain characters is one).
            var items = new List<Item>();
            var run = new System.Text.StringBuilder();
            void EndRun()
            {
                if (run.Length > 0)
                {
                    var text = run.ToString();
                    items.Add(new Item([new Literal(text, Edge.Open, Edge.Open)], NeverWordChar(text[0]), NeverWordChar(text[^1]), false));
                    run.Clear();
                }
            }
            while (_i < p.Length && p[_i] is not ('|' or ')'))
            {
                var (kind, literal, set) = Atom();
                bool starts = _startsAtEdge, ends = _endsAtEdge;
                var (min, quantified) = Quantifier();
                if (kind == AtomKind.Literal && !quantified)
                {
                    run.Append(literal);
                    continue;
                }
                // Anything else ends the run of literal characters: a class, an anchor, a group, or a repeated
                // character (a{2} is "aa", so "a{2}b" must not be read as "ab").
                EndRun();
                switch (kind)
                {
                    case AtomKind.Boundary when !quantified:
                        items.Add(new Item(null, true, true, false));
                        break;
                    case AtomKind.NonWord:
                        items.Add(new Item(null, true, true, min == 0));
                        break;
                    case AtomKind.LineStart when !quantified:
                        items.Add(new Item(null, false, true, false));
                        break;
                    case AtomKind.LineEnd when !quantified:
                        items.Add(new Item(null, true, false, false));
                        break;
                    case AtomKind.Literal:
                        // A repeated character is needed as many times in a row as it must repeat ("={3,12}" needs "===").
                        items.Add(new Item(min >= 1 ? [new Literal(new string(literal, Math.Min(min, 8)), Edge.None, Edge.None)] : null,
                            NeverWordChar(literal), NeverWordChar(literal), min == 0));
                        break;
                    case AtomKind.Group:
                        // A repeated group's words are somewhere in the repeats, not at known edges.
                        items.Add(new Item(min == 0 ? null : quantified ? set?.Select(l => l with { Start = Edge.None, End = Edge.None }).ToList() : set,
                            starts, ends, min == 0));
                        break;
                    default:
                        items.Add(new Item(null, false, false, false));
                        break;
                }
            }
            EndRun();
            _startsAtEdge = items.Count > 0 && items[0] is { StartsAtEdge: true, Optional: false };
            _endsAtEdge = items.Count > 0 && items[^1] is { EndsAtEdge: true, Optional: false };

            // What stands right before item k in every match: an edge, the sequence's own start (the enclosing part
            // decides), or nothing known. An optional part that ends at an edge passes the question on.
            Edge Before(int k)
            {
                for (var j = k - 1; j >= 0; j--)
                {
                    if (!items[j].EndsAtEdge)
                    {
                        return Edge.None;
                    }
                    if (!items[j].Optional)
                    {
                        return Edge.Word;
                    }
                }
                return Edge.Open;
            }
            Edge After(int k)
            {
                for (var j = k + 1; j < items.Count; j++)
                {
                    if (!items[j].StartsAtEdge)
                    {
                        return Edge.None;
                    }
                    if (!items[j].Optional)
                    {
                        return Edge.Word;
                    }
                }
                return Edge.Open;
            }

            List<Literal>? best = null;
            for (var k = 0; k < items.Count; k++)
            {
                if (items[k].Set is not { Count: > 0 } set)
                {
                    continue;
                }
                Edge before = Before(k), after = After(k);
                var placed = set.Select(l => new Literal(l.Text, l.Start == Edge.Open ? before : l.Start, l.End == Edge.Open ? after : l.End)).ToList();
                if (best is null || Better(placed, best))
                {
                    best = placed;
                }
            }
            return best;
        }

        // ASCII punctuation and spaces: a word character to no reading of \b.
        private static bool NeverWordChar(char c) => char.IsAscii(c) && !char.IsAsciiLetterOrDigit(c) && c != '_';

        /// <summary>
        /// The more selective set: its weakest word is rarer (<see cref="Weight"/>), or as rare with fewer words. This
        /// only decides how often the gate lets a text through, never whether a match can slip past it.
        /// </summary>
        private static bool Better(List<Literal> a, List<Literal> b)
        {
            double wa = a.Min(l => Weight(l.Text)), wb = b.Min(l => Weight(l.Text));
            return wa != wb ? wa > wb : a.Count < b.Count;
        }

        /// <summary>How rare a word is in notebook text, roughly: longer is rarer, punctuation more so; numbers, single letters and the commonest words are not.</summary>
        private static double Weight(string word) =>
            CommonWords.Contains(word) ? 1 : word.Length == 1 && char.IsAsciiLetter(word[0]) ? 0.5 : word.All(char.IsAsciiDigit) ? word.Length / 2.0
            : !word.Any(char.IsLetterOrDigit) ? word.Length + 0.5 : word.Length;

        private static readonly HashSet<string> CommonWords = new(StringComparer.OrdinalIgnoreCase)
        {
            "in", "by", "of", "to", "on", "at", "as", "is", "it", "be", "or", "an", "we", "my", "me", "no", "so", "if", "up", "do",
            "the", "and", "that", "this", "for", "with", "from", "not", "are", "was", "all", "end", "one", "any", "its", "our", "has", "had",
            "but", "can", "you", "have", "what", "been", "were", "will", "into", "then", "than", "them", "they", "their", "which", "when",
        };
    }
}
