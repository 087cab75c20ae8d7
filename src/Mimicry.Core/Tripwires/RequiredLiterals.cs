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
public static class RequiredLiterals
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

    /// <summary>
    /// A recursive-descent reading of the pattern that returns, for each part, the words every match of it contains
    /// (null: none known). A concatenation keeps the best of its parts' sets; an alternation needs one from each branch.
    /// </summary>
    private sealed class Parser(string p)
    {
        private static readonly System.Buffers.SearchValues<char> CountChars = System.Buffers.SearchValues.Create("0123456789,");

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

        private enum AtomKind
        {
            Literal,

            /// <summary><c>\b</c>.</summary>
            Boundary,

            /// <summary>One character that is never a word character (<c>\s</c>, <c>\W</c>, <c>[ \t]</c>, <c>[.!?]</c>).</summary>
            NonWord,

            /// <summary><c>^</c>: the text's start or a line's; nothing or a newline before what follows.</summary>
            LineStart,

            /// <summary><c>$</c>: the text's end or a line's.</summary>
            LineEnd,

            Group,

            Other,
        }

        private (AtomKind Kind, char Literal, List<Literal>? Set) Atom()
        {
            var c = p[_i++];
            switch (c)
            {
                case '(':
                    return (AtomKind.Group, '\0', Group());
                case '[':
                    return (SkipClass() ? AtomKind.NonWord : AtomKind.Other, '\0', null);
                case '^':
                    return (AtomKind.LineStart, '\0', null);
                case '$':
                    return (AtomKind.LineEnd, '\0', null);
                case '.':
                    return (AtomKind.Other, '\0', null);
                case '\\':
                    return Escape();
                case '*' or '+' or '?' or '{':
                    throw new FormatException("a quantifier with nothing before it");
                default:
                    return (AtomKind.Literal, c, null);
            }
        }

        private List<Literal>? Group()
        {
            var zeroWidth = false;
            if (_i < p.Length && p[_i] == '?')
            {
                _i++;
                if (_i < p.Length && (p[_i] is '=' or '!'))
                {
                    // A lookahead: it constrains, but consumes nothing this reading can count on.
                    zeroWidth = true;
                    _i++;
                }
                else if (_i + 1 < p.Length && p[_i] == '<' && p[_i + 1] is '=' or '!')
                {
                    zeroWidth = true;
                    _i += 2;
                }
                else if (_i < p.Length && (p[_i] is '<' or '\''))
                {
                    var close = p[_i] == '<' ? '>' : '\'';
                    var end = p.IndexOf(close, _i + 1);
                    if (end < 0 || p.AsSpan(_i + 1, end - _i - 1).ContainsAny("-"))
                    {
                        throw new FormatException("a balancing group");
                    }
                    _i = end + 1;
                }
                else
                {
                    // Inline options (?i:...) or (?:...); (?i) alone, (?>...), conditionals and comments are not read.
                    while (_i < p.Length && (char.IsAsciiLetter(p[_i]) || p[_i] == '-'))
                    {
                        if (p[_i] is 'x')
                        {
                            throw new FormatException("free-spacing mode");
                        }
                        _i++;
                    }
                    if (_i >= p.Length || p[_i] != ':')
                    {
                        throw new FormatException("a group this reading does not know");
                    }
                    _i++;
                }
            }
            var set = Alternation();
            if (_i >= p.Length || p[_i] != ')')
            {
                throw new FormatException("an unclosed group");
            }
            _i++;
            if (zeroWidth)
            {
                // A lookaround consumes nothing: what it says about its edges is not about the text beside its neighbours.
                (_startsAtEdge, _endsAtEdge) = (false, false);
                return null;
            }
            return set;
        }

        /// <summary>Reads a character class; true if it is one whose every member is a non-word character.</summary>
        private bool SkipClass()
        {
            var start = _i;
            var negated = false;
            // A ']' right after '[' or '[^' is a member, not the end.
            if (_i < p.Length && p[_i] == '^')
            {
                negated = true;
                _i++;
            }
            if (_i < p.Length && p[_i] == ']')
            {
                _i++;
            }
            while (_i < p.Length && p[_i] != ']')
            {
                _i += p[_i] == '\\' ? 2 : 1;
            }
            if (_i >= p.Length)
            {
                throw new FormatException("an unclosed character class");
            }
            _i++;
            return !negated && OnlyNonWord(p.AsSpan(start, _i - 1 - start));
        }

        /// <summary>
        /// A class body of plain punctuation and spaces (and the escapes \s \t \n \r and escaped punctuation): never a
        /// word character. A range, a category or anything else gives false.
        /// </summary>
        private static bool OnlyNonWord(ReadOnlySpan<char> body)
        {
            if (body.IsEmpty)
            {
                return false;
            }
            for (var k = 0; k < body.Length; k++)
            {
                var c = body[k];
                if (c == '\\')
                {
                    if (++k >= body.Length || !(body[k] is 's' or 't' or 'n' or 'r' || (char.IsAscii(body[k]) && !char.IsAsciiLetterOrDigit(body[k]) && body[k] != '_')))
                    {
                        return false;
                    }
                }
                else if (c == '-' && k > 0 && k < body.Length - 1)
                {
                    return false; // a range
                }
                else if (!char.IsAscii(c) || char.IsAsciiLetterOrDigit(c) || c == '_' || c == '[')
                {
                    return false;
                }
            }
            return true;
        }

        private (AtomKind, char, List<Literal>?) Escape()
        {
            if (_i >= p.Length)
            {
                throw new FormatException("a trailing backslash");
            }
            var c = p[_i++];
            switch (c)
            {
                case 'b':
                    return (AtomKind.Boundary, '\0', null);
                case 's' or 'W':
                    return (AtomKind.NonWord, '\0', null);
                case 'B' or 'A' or 'z' or 'Z' or 'G' or 'w' or 'S' or 'd' or 'D':
                    return (AtomKind.Other, '\0', null);
                case 'p' or 'P':
                    var end = p.IndexOf('}', _i);
                    if (end < 0)
                    {
                        throw new FormatException("an unclosed category");
                    }
                    _i = end + 1;
                    return (AtomKind.Other, '\0', null);
                case 'n':
                    return (AtomKind.Literal, '\n', null);
                case 't':
                    return (AtomKind.Literal, '\t', null);
                case 'r':
                    return (AtomKind.Literal, '\r', null);
                case 'u' when _i + 4 <= p.Length:
                    var code = Convert.ToInt32(p.Substring(_i, 4), 16);
                    _i += 4;
                    return (AtomKind.Literal, (char)code, null);
                case var d when char.IsAsciiDigit(d) || char.IsAsciiLetter(d):
                    // Backreferences, \k<name>, \x, \c, \e and the like: not read.
                    throw new FormatException($"the escape \\{d}");
                default:
                    return (AtomKind.Literal, c, null);
            }
        }

        /// <summary>The least number of times the atom just read must match, and whether a quantifier followed it.</summary>
        private (int Min, bool Quantified) Quantifier()
        {
            if (_i >= p.Length)
            {
                return (1, false);
            }
            int min;
            switch (p[_i])
            {
                case '*' or '?':
                    min = 0;
                    _i++;
                    break;
                case '+':
                    min = 1;
                    _i++;
                    break;
                case '{' when p.IndexOf('}', _i) is var end and > 0 && IsCount(p.AsSpan(_i + 1, end - _i - 1)):
                    var body = p.AsSpan(_i + 1, end - _i - 1);
                    var comma = body.IndexOf(',');
                    min = int.Parse(comma < 0 ? body : body[..comma], System.Globalization.CultureInfo.InvariantCulture);
                    _i = end + 1;
                    break;
                default:
                    return (1, false);
            }
            if (_i < p.Length && p[_i] == '?')
            {
                _i++; // lazy: the same least count
            }
            return (min, true);
        }

        private static bool IsCount(ReadOnlySpan<char> body) =>
            body.Length > 0 && char.IsAsciiDigit(body[0]) && !body.ContainsAnyExcept(CountChars);
    }
}

/// <summary>A word every match of a pattern needs, and whether every match has a word boundary right before it or right after it.</summary>
public readonly record struct RequiredWord(string Text, bool WordStart, bool WordEnd);
