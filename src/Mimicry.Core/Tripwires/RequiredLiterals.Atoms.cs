namespace Mimicry.Tripwires;

// The parser's atoms: plain characters, classes, escapes, groups and their quantifiers.
public static partial class RequiredLiterals
{
    private sealed partial class Parser
    {
        private static readonly System.Buffers.SearchValues<char> CountChars = System.Buffers.SearchValues.Create("0123456789,");

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
