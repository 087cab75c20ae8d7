namespace Mimicry.Tripwires.Learned;

/// <summary>
/// What a learned detector reads: the text cut into pieces (each sentence or line, and each sentence with the one
/// after it, since a fake fence and the order that follows it often sit on two lines), and each piece as hashed
/// features (a pair's are its two sentences' and the word pairs across their boundary, so a pair costs three
/// lookups more than its sentences): words, word prefixes (a cheap stem, so "graders" and "grading" share weight), word pairs, word pairs
/// one word apart, and runs of markup characters (<c>&lt;|</c>, <c>&lt;/</c>, <c>###</c>). Letters are folded to
/// lower case; a number that could be a year reads as one word and any other number as another, so no detector
/// learns a particular year. One pass over the text, linear in its length; nothing is allocated per word.
/// </summary>
public static class TextFeatures
{
    /// <summary>The feature space: 2^18 buckets (collisions are rare at the few tens of thousands of features a corpus has).</summary>
    public const int Bits = 18;

    public const int Mask = (1 << Bits) - 1;

    /// <summary>A piece longer than this is cut: a detector reads sentences, and a "sentence" this long is data.</summary>
    public const int MaxPiece = 600;

    /// <summary>At most this many sentences of a text are read (a candidate is a day's entry, not a book).</summary>
    public const int MaxSentences = 400;

    private const uint Year = 0x9E3779B1;
    private const uint Number = 0x85EBCA77;
    private const uint Start = 0xC2B2AE3D;

    /// <summary>The pieces of a text, as ranges: every sentence, then every sentence joined with the next.</summary>
    public static List<Range> Pieces(string text)
    {
        var sentences = Sentences(text);
        var pieces = new List<Range>(sentences.Count * 2);
        pieces.AddRange(sentences);
        for (var i = 0; i + 1 < sentences.Count; i++)
        {
            pieces.Add(new Range(sentences[i].Start, sentences[i + 1].End));
        }
        return pieces;
    }

    /// <summary>The features of every piece, in the order of <see cref="Pieces"/> (for training and for checking the fast path).</summary>
    public static int[][] PieceFeatures(string text)
    {
        var sentences = Sentences(text);
        var features = new List<int>(64);
        var perSentence = new int[sentences.Count][];
        var edges = new Edges[sentences.Count];
        for (var i = 0; i < sentences.Count; i++)
        {
            edges[i] = Extract(text.AsSpan()[sentences[i]], features);
            perSentence[i] = [.. features];
        }
        var pieces = new List<int[]>(sentences.Count * 2);
        pieces.AddRange(perSentence);
        for (var i = 0; i + 1 < sentences.Count; i++)
        {
            features.Clear();
            features.AddRange(perSentence[i]);
            features.AddRange(perSentence[i + 1]);
            Boundary(edges[i], edges[i + 1], features);
            pieces.Add([.. features]);
        }
        return [.. pieces];
    }

    /// <summary>The first two and last two words of a sentence (hashed), for the features across a boundary.</summary>
    public readonly record struct Edges(uint First, uint Second, uint BeforeLast, uint Last);

    /// <summary>Adds the word pairs that cross from sentence <paramref name="a"/> into the next, <paramref name="b"/>.</summary>
    public static void Boundary(Edges a, Edges b, List<int> into)
    {
        into.Add(Bucket(Mix(a.Last, b.First), 3));
        into.Add(Bucket(Mix(a.BeforeLast, b.First), 4));
        into.Add(Bucket(Mix(a.Last, b.Second), 4));
    }

    /// <summary>The sentences (and lines) of a text, at most <see cref="MaxSentences"/>, each at most <see cref="MaxPiece"/> characters.</summary>
    public static List<Range> Sentences(string text)
    {
        var sentences = new List<Range>();
        Sentences(text, sentences);
        return sentences;
    }

    /// <summary>As <see cref="Sentences(string)"/>, into a list of the caller's (cleared first).</summary>
    public static void Sentences(string text, List<Range> sentences)
    {
        sentences.Clear();
        var start = 0;
        for (var i = 0; i < text.Length && sentences.Count < MaxSentences; i++)
        {
            var c = text[i];
            var end = c == '\n' || (c is '.' or '!' or '?' or ';' && (i + 1 == text.Length || char.IsWhiteSpace(text[i + 1])));
            if (end || i - start >= MaxPiece)
            {
                Add(sentences, text, start, i + 1);
                start = i + 1;
            }
        }
        if (sentences.Count < MaxSentences)
        {
            Add(sentences, text, start, text.Length);
        }
    }

    private static void Add(List<Range> sentences, string text, int start, int end)
    {
        var s = text.AsSpan(start, end - start);
        foreach (var c in s)
        {
            if (char.IsLetterOrDigit(c))
            {
                sentences.Add(new Range(start, end));
                return;
            }
        }
        // A line of markup alone ("</notebook>", "<|im_end|>") is kept too: it is what a fence or a turn looks like.
        if (s.Trim().Length > 1)
        {
            sentences.Add(new Range(start, end));
        }
    }

    /// <summary>Adds the feature buckets of one sentence to <paramref name="into"/> (cleared first); returns its edge words.</summary>
    public static Edges Extract(ReadOnlySpan<char> piece, List<int> into)
    {
        into.Clear();
        uint previous = Start, beforePrevious = Start, first = Start, second = Start;
        var count = 0;
        var i = 0;
        while (i < piece.Length)
        {
            var c = piece[i];
            if (char.IsWhiteSpace(c))
            {
                i++;
                continue;
            }
            uint token;
            var j = i;
            if (char.IsLetterOrDigit(c))
            {
                var digits = 0;
                var letters = 0;
                uint h = 2166136261;
                uint prefix = 0;
                while (j < piece.Length && char.IsLetterOrDigit(piece[j]))
                {
                    var d = piece[j];
                    if (char.IsDigit(d))
                    {
                        digits++;
                    }
                    else
                    {
                        letters++;
                    }
                    h = (h ^ char.ToLowerInvariant(d)) * 16777619;
                    if (j - i == 4)
                    {
                        prefix = h;
                    }
                    j++;
                }
                if (letters == 0)
                {
                    token = digits == 4 && ((piece[i] == '1' && piece[i + 1] == '9') || (piece[i] == '2' && piece[i + 1] == '0')) ? Year : Number;
                }
                else
                {
                    token = h;
                    if (j - i > 5)
                    {
                        into.Add(Bucket(prefix, 1));
                    }
                }
            }
            else
            {
                // A run of symbols, at most its first three characters: "<|", "</", "###", "===", "```".
                uint h = 2166136261;
                while (j < piece.Length && !char.IsWhiteSpace(piece[j]) && !char.IsLetterOrDigit(piece[j]))
                {
                    if (j - i < 3)
                    {
                        h = (h ^ piece[j]) * 16777619;
                    }
                    j++;
                }
                token = h ^ 0x5bd1e995;
            }
            into.Add(Bucket(token, 2));
            into.Add(Bucket(Mix(previous, token), 3));
            into.Add(Bucket(Mix(beforePrevious, token), 4));
            beforePrevious = previous;
            previous = token;
            if (count == 0)
            {
                first = token;
            }
            else if (count == 1)
            {
                second = token;
            }
            count++;
            i = j;
        }
        return new Edges(first, second, beforePrevious, previous);
    }

    private static uint Mix(uint a, uint b) => (a * 0x27d4eb2d) ^ (b + 0x165667b1 + (a << 6) + (a >> 2));

    private static int Bucket(uint h, uint kind)
    {
        var x = h ^ (kind * 0x9E3779B9);
        x ^= x >> 16;
        x *= 0x7feb352d;
        x ^= x >> 15;
        x *= 0x846ca68b;
        x ^= x >> 16;
        return (int)(x & Mask);
    }
}
