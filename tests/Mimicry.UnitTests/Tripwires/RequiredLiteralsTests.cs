using System.Reflection;
using System.Text.RegularExpressions;
using Mimicry.Tripwires;

namespace Mimicry.UnitTests.Tripwires;

/// <summary>
/// The detectors' gates: the words a pattern's every match needs, read from the pattern, and the promise that a
/// gated pattern answers exactly as the pattern itself.
/// </summary>
public sealed class RequiredLiteralsTests
{
    [Theory]
    [InlineData(@"\b(?:ignor(?:e|ing)|set\s+aside)\b", new[] { "ignor", "aside" })]
    [InlineData(@"\b(?:you|your|u)\b", new[] { "you", "your", "u" })]
    [InlineData(@"(?:^|\n)[ \t]*(?:[=\-#]{2,12}[ \t]*)?(?:end|begin)[ \t_\-]*(?:of[ \t_\-]*)?(?:notebook|entry)\b", new[] { "notebook", "entry" })]
    [InlineData(@"\b(?<year>(?:19|20|21)\d{2})-(?<m>\d{2})", new[] { "-" })] // rarer in prose than a number
    [InlineData(@"\b(?<year>(?:19|20|21)\d{2})\s+(?<m>\d{2})", new[] { "19", "20", "21" })]
    [InlineData(@"(?<![\d/.])\b(?<a>\d{1,2})/(?<b>\d{1,2})/", new[] { "/" })]
    [InlineData(@"\b(?i:after|once)\s+(?=[^.]{0,60}?\b[A-Z])(?:\w+\s+){1,7}?(?:shipped|launched)\b", new[] { "shipped", "launched" })] // the longer words win
    [InlineData(@"tomorrow'?s?\s+note", new[] { "tomorrow" })]
    [InlineData(@"\[\s*end\s+of", new[] { "[" })] // "end" and "of" are too common to gate on
    public void ReadsTheWordsEveryMatchNeeds(string pattern, string[] expected) =>
        Assert.Equal(expected.Order(StringComparer.Ordinal), RequiredLiterals.Of(pattern, RegexOptions.IgnoreCase)!.Order(StringComparer.Ordinal));

    [Theory]
    [InlineData(@"ab{2}c")] // "abbc" holds no "abc": a repeated character ends the run
    [InlineData(@"x(?:ab)+y")]
    public void ARepeatedPart_NeverJoinsTheWordsAroundIt(string pattern)
    {
        var words = RequiredLiterals.Of(pattern, RegexOptions.None);
        Assert.NotNull(words);
        Assert.DoesNotContain(words, w => w.Length > 1 && (w.Contains("abc", StringComparison.Ordinal) || w.Contains("xab", StringComparison.Ordinal) || w.Contains("aby", StringComparison.Ordinal)));
    }

    [Theory]
    [InlineData(@"(a)\1")]                       // a backreference
    [InlineData(@"(?x) a b")]                    // free-spacing mode
    [InlineData(@"(?(a)b|c)")]                   // a conditional
    [InlineData(@"(?:alpha|)")]                  // a branch that needs nothing
    [InlineData(@"\w+\s+\d")]                    // no literal at all
    [InlineData(@"(?:word)?")]                   // optional
    [InlineData(@"(?=alpha)\w+")]                // a lookahead consumes nothing
    public void WhatItCannotRead_GivesNoGate(string pattern) => Assert.Null(RequiredLiterals.Of(pattern, RegexOptions.None));

    [Theory]
    [InlineData(@"\b(?:you|u)\b", "<you> <u>")]
    [InlineData(@"\bdear\s+reader", "<reader")] // the rarer (longer) word; spaces before it
    [InlineData(@"\s+reader\b", "<reader>")] // whitespace before it: no word goes on into it
    [InlineData(@"note\s+to\s+(?:the\s+)?(?:reader|grader)s?", "<reader <grader")] // an optional part that ends in a space passes the edge on
    [InlineData(@"(?:the[ \t_]*)?reader", "reader")] // '_' is a word character: nothing known
    [InlineData(@"\b(?:ab)+\b", "ab")] // a repeated group: its words are somewhere in the repeats
    [InlineData(@"\b(?=x)reader", "reader")] // after a lookahead: nothing known
    [InlineData(@"(?:^|\n)[ \t]*system\s*:", "<system>")] // spaces or a colon after it
    [InlineData(@"={3,12}\s*end", "===")] // a repeated character is needed as many times as it must repeat
    public void ReadsWhereTheWordsStand(string pattern, string expected) =>
        Assert.Equal(expected, string.Join(" ", RequiredLiterals.Words(pattern, RegexOptions.IgnoreCase)!.Select(w => $"{(w.WordStart ? "<" : "")}{w.Text}{(w.WordEnd ? ">" : "")}")));

    [Fact]
    public void UnderEcmaScript_NoEdgeIsTrusted() =>
        Assert.DoesNotContain(RequiredLiterals.Words(@"\b(?:you|u)\b", RegexOptions.ECMAScript)!, w => w.WordStart || w.WordEnd);

    [Theory]
    [InlineData("checked against the lemma", false)] // "ai" inside "against" is not the word
    [InlineData("the AI reads it", true)]
    [InlineData("an ai.", true)]
    [InlineData("ai", true)]
    [InlineData("_ai_", false)]
    [InlineData("llama", false)]
    public void AWordNeededAtABoundary_OpensTheGateOnlyThere(string text, bool opens)
    {
        var pattern = new TextPattern(@"\b(?:ai|llm)\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);
        Assert.Equal(opens, pattern.MayMatch(text.AsSpan()));
        Assert.Equal(opens, pattern.MayMatch(text));
        Assert.Equal(pattern.Regex.IsMatch(text), pattern.IsMatch(text));
    }

    [Fact]
    public void FreeSpacingOption_GivesNoGate() => Assert.Null(RequiredLiterals.Of("ab", RegexOptions.IgnorePatternWhitespace));

    /// <summary>Every gated pattern of the built-in detectors (the fields of type <see cref="TextPattern"/>).</summary>
    public static TheoryData<string> Detectors()
    {
        var data = new TheoryData<string>();
        foreach (var (name, _) in AllPatterns())
        {
            data.Add(name);
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Detectors))]
    public void AGatedPattern_AnswersExactlyAsThePattern(string name)
    {
        var pattern = AllPatterns().Single(p => p.Name == name).Pattern;
        var ungated = new Regex(pattern.Regex.ToString(), pattern.Regex.Options);
        foreach (var text in Texts())
        {
            var expected = ungated.IsMatch(text);
            // The whole text through the pass shared by every detector's gate, and a part through the pattern's own.
            Assert.True(expected == pattern.IsMatch(text), $"{name} on: {text}");
            Assert.True(expected == pattern.IsMatch(text.AsSpan()), $"{name} (own gate) on: {text}");
        }
    }

    [Fact]
    public void MostBuiltInPatterns_HaveAGate()
    {
        var patterns = AllPatterns().ToList();
        Assert.True(patterns.Count >= 40, $"{patterns.Count} patterns found");
        Assert.True(patterns.Count(p => p.Pattern.Required is not null) >= patterns.Count - 2, string.Join(", ", patterns.Where(p => p.Pattern.Required is null).Select(p => p.Name)));
    }

    [Fact]
    public void CaseFoldingOutsideAscii_CannotSlipPastAGate()
    {
        // KELVIN SIGN matches 'k' when case is ignored (and ANGSTROM SIGN 'å'), but an ordinal search does not fold them.
        var pattern = new TextPattern(@"\bkeep\s+this\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);
        Assert.Matches(pattern.Regex, "please \u212Aeep this");
        Assert.True(pattern.IsMatch("please \u212Aeep this"));
        var angstrom = new TextPattern("skål", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);
        Assert.Matches(angstrom.Regex, "SK\u212BL");
        Assert.True(angstrom.IsMatch("SK\u212BL"));
        Assert.False(pattern.IsMatch("a text with no such words"));
    }

    private static IEnumerable<(string Name, TextPattern Pattern)> AllPatterns() =>
        typeof(TextPattern).Assembly.GetTypes().Where(t => t.Namespace == "Mimicry.Tripwires")
            .SelectMany(t => t.GetFields(BindingFlags.Static | BindingFlags.NonPublic | BindingFlags.Public)
                .Where(f => f.FieldType == typeof(TextPattern))
                .Select(f => ($"{t.Name}.{f.Name}", (TextPattern)f.GetValue(null)!)));

    [Fact]
    public void IsoDatesReadByHand_AreTheExpressionsMatches()
    {
        string[] tricky = ["2026-11-01", "x2026-11-01", "2026-11-01x", "2026-11-012", "12026-11-01", "2026-11-2021-05-06", "-2026-11-01-", "2026-1-01",
            "1899-01-01 1900-13-45 2199-12-31 2200-01-01", "2026-11-01_", "\u200D2026-11-01", "2026-11-0\u0661", "é2026-11-01", "2026--11-01", "(2026-11-01)"];
        foreach (var text in Texts().Concat(tricky))
        {
            Assert.Equal(TimeReferences.IsoDateRegex().Matches(text).Select(m => m.Index), TimeReferences.IsoDateStarts(text));
        }
    }

    /// <summary>
    /// The development corpora, each text's sentences, each text with its words' cases and spaces shuffled, and each
    /// with some spaces replaced by a letter, a digit, '_' or a character that folds to an ASCII letter (words that
    /// now run into each other, against the gates' reading of word edges).
    /// </summary>
    private static IEnumerable<string> Texts()
    {
        var root = TestRoot.Find();
        var rng = new Random(17);
        string[] glue = ["x", "7", "_", "\u0301", "\u212A", "\u0131", "é", "-"];
        foreach (var file in new[] { "dev.jsonl", "dev2.jsonl", "train-a.jsonl", "train-b.jsonl", "train-c.jsonl", "train-d.jsonl", "train-e.jsonl", "train-f.jsonl" })
        {
            foreach (var t in TripwireCorpus.Parse(File.ReadAllText(Path.Combine(root, "tests", "tripwire-corpus", file)), file))
            {
                yield return t.Text;
                yield return t.Text.ToUpperInvariant();
                foreach (var s in t.Text.Split(['.', ';', '\n'], StringSplitOptions.RemoveEmptyEntries))
                {
                    yield return s;
                }
                yield return string.Concat(t.Text.Select(c => c == ' ' && rng.Next(4) == 0 ? "\n  " : rng.Next(3) == 0 ? char.ToUpperInvariant(c).ToString() : c.ToString()));
                yield return string.Concat(t.Text.Select(c => c == ' ' && rng.Next(3) == 0 ? glue[rng.Next(glue.Length)] : c.ToString()));
            }
        }
    }
}
