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
    public static IReadOnlyList<string>? Of(string pattern, RegexOptions options)
    {
        if ((options & (RegexOptions.IgnorePatternWhitespace | RegexOptions.RightToLeft)) != 0)
        {
            return null;
        }
        try
        {
            var parser = new Parser(pattern);
            var set = parser.Alternation();
            return parser.AtEnd && set is { Count: > 0 } ? set.Distinct(StringComparer.OrdinalIgnoreCase).ToList() : null;
        }
        catch (FormatException)
        {
            return null;
        }
    }

    /// <summary>
    /// A recursive-descent reading of the pattern that returns, for each part, the words every match of it contains
    /// (null: none known). A concatenation keeps the best of its parts' sets; an alternation needs one from each branch.
    /// </summary>
    private sealed class Parser(string p)
    {
        private static readonly System.Buffers.SearchValues<char> CountChars = System.Buffers.SearchValues.Create("0123456789,");

        private int _i;

        public bool AtEnd => _i == p.Length;

        public List<string>? Alternation()
        {
            var branches = new List<List<string>?> { Concatenation() };
            while (_i < p.Length && p[_i] == '|')
            {
                _i++;
                branches.Add(Concatenation());
            }
            return branches.Any(b => b is null) ? null : branches.SelectMany(b => b!).ToList();
        }

        private List<string>? Concatenation()
        {
            List<string>? best = null;
            var run = new System.Text.StringBuilder();
            void Offer(List<string>? set)
            {
                if (set is { Count: > 0 } && (best is null || Better(set, best)))
                {
                    best = set;
                }
            }
            void EndRun()
            {
                if (run.Length > 0)
                {
                    Offer([run.ToString()]);
                    run.Clear();
                }
            }
            while (_i < p.Length && p[_i] is not ('|' or ')'))
            {
                var (kind, literal, set) = Atom();
                var (min, quantified) = Quantifier();
                if (kind == AtomKind.Literal && !quantified)
                {
                    run.Append(literal);
                    continue;
                }
                // Anything else ends the run of literal characters: a class, an anchor, a group, or a repeated
                // character (a{2} is "aa", so "a{2}b" must not be read as "ab").
                EndRun();
                if (min >= 1)
                {
                    Offer(kind == AtomKind.Literal ? [literal.ToString()] : set);
                }
            }
            EndRun();
            return best;
        }

        /// <summary>
        /// The more selective set: its weakest word is rarer (<see cref="Weight"/>), or as rare with fewer words. This
        /// only decides how often the gate lets a text through, never whether a match can slip past it.
        /// </summary>
        private static bool Better(List<string> a, List<string> b)
        {
            double wa = a.Min(Weight), wb = b.Min(Weight);
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

        private enum AtomKind { Literal, Other }

        private (AtomKind Kind, char Literal, List<string>? Set) Atom()
        {
            var c = p[_i++];
            switch (c)
            {
                case '(':
                    return (AtomKind.Other, '\0', Group());
                case '[':
                    SkipClass();
                    return (AtomKind.Other, '\0', null);
                case '.' or '^' or '$':
                    return (AtomKind.Other, '\0', null);
                case '\\':
                    return Escape();
                case '*' or '+' or '?' or '{':
                    throw new FormatException("a quantifier with nothing before it");
                default:
                    return (AtomKind.Literal, c, null);
            }
        }

        private List<string>? Group()
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
            return zeroWidth ? null : set;
        }

        private void SkipClass()
        {
            // A ']' right after '[' or '[^' is a member, not the end.
            if (_i < p.Length && p[_i] == '^')
            {
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
        }

        private (AtomKind, char, List<string>?) Escape()
        {
            if (_i >= p.Length)
            {
                throw new FormatException("a trailing backslash");
            }
            var c = p[_i++];
            switch (c)
            {
                case 'b' or 'B' or 'A' or 'z' or 'Z' or 'G' or 'w' or 'W' or 's' or 'S' or 'd' or 'D':
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
