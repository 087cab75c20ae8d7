using Mimicry.Selection;
using Mimicry.Spec;
using Mimicry.SpecReading;
using Mimicry.UnitTests.Specs;

namespace Mimicry.UnitTests.Selection;

/// <summary>first-valid's filters: each kind decides alone, the reader names every bad field, and hostile input stays linear.</summary>
public sealed class CandidateFilterTests
{
    private static LoopSpec Read(string filters, string selection = "first-valid", string simulator = "  kind: openai\n  baseUrl: http://h/v1\n  model: m") =>
        TestSpec.Read(Yaml(filters, selection, simulator), variables: _ => null);

    private static string Yaml(string filters, string selection, string simulator) => TestSpec.Yaml($"filters:\n{filters}", simulator, selection, width: 4);

    private static string[] Errors(string filters, string selection = "first-valid") =>
        [.. Assert.Throws<SpecException>(() => Read(filters, selection)).Errors];

    [Fact]
    public void EachFilterKind_DecidesOnItsOwn_AndSaysWhichFailed()
    {
        var lengths = new FilterSpec(10, 20, [], []);
        Assert.Equal("shorter than minLength (3 < 10 characters)", CandidateFilter.Failure(lengths, "abc"));
        Assert.Equal("longer than maxLength (21 > 20 characters)", CandidateFilter.Failure(lengths, new string('x', 21)));
        Assert.Null(CandidateFilter.Failure(lengths, new string('x', 20)));

        var patterns = new FilterSpec(0, 0, ["(?i)next step", "[0-9]"], ["(?i)as an ai"]);
        Assert.Null(CandidateFilter.Failure(patterns, "Tried 3 cases. Next step: lemma 4."));
        Assert.Equal("require[1] does not match", CandidateFilter.Failure(patterns, "Next step: none."));
        Assert.Equal("forbid[0] matches", CandidateFilter.Failure(patterns, "As an AI, my next step is 1."));

        var schema = new FilterSpec(0, 0, [], [], """{"type":"object","required":["claim","confidence"],"properties":{"confidence":{"type":"number","minimum":0,"maximum":1}}}""");
        Assert.Null(CandidateFilter.Failure(schema, """{"claim": "lemma 3 holds", "confidence": 0.8}"""));
        Assert.Equal("rejected by jsonSchema", CandidateFilter.Failure(schema, """{"claim": "lemma 3 holds", "confidence": 7}"""));
        Assert.Equal("rejected by jsonSchema", CandidateFilter.Failure(schema, """{"confidence": 0.1}"""));
        Assert.Equal("not a JSON document (jsonSchema)", CandidateFilter.Failure(schema, "Lemma 3 holds, I think."));
        Assert.Equal("not a JSON document (jsonSchema)", CandidateFilter.Failure(schema, new string('[', 10_000) + new string(']', 10_000)));
    }

    [Fact]
    public void TheSpecsFilters_AreRead_IncludingAnInlineSchema_AndKeptOutOfSpecsWithoutThem()
    {
        var spec = Read("""
              minLength: 50
              maxLength: 4000
              require: ['(?i)next step']
              forbid: ['(?i)as an ai', '<\|im_start\|>']
              jsonSchema:
                type: object
                required: [claim]
                properties:
                  claim: { type: string, minLength: 3 }
            """);
        var f = spec.Filters!;
        Assert.Equal((50, 4000), (f.MinLength, f.MaxLength));
        Assert.Equal(["(?i)next step"], f.Require);
        Assert.Equal(["(?i)as an ai", "<\\|im_start\\|>"], f.Forbid);
        Assert.True(CandidateFilter.Passes(f with { MinLength = 0 }, """{"claim": "abc", "note": "next step: more"}"""));
        Assert.False(CandidateFilter.Passes(f with { MinLength = 0 }, """{"claim": 3, "note": "next step: more"}"""));
        Assert.Empty(LoopSpecRules.Problems(spec, inlineBackends: true));

        var plain = SpecReader.Parse("m.yaml", Yaml("  minLength: 1", "first-valid", "  kind: synthetic").Replace("filters:\n  minLength: 1", "", StringComparison.Ordinal), TestSpec.Now);
        Assert.Null(plain.Filters);
        Assert.DoesNotContain("filters", SpecJson.Serialize(plain), StringComparison.Ordinal);
    }

    [Fact]
    public void BadFilters_AreRefused_NamingTheField()
    {
        Assert.Equal(["m.yaml: filters.minLength: is more than maxLength (50 > 10): no candidate could pass"], Errors("  minLength: 50\n  maxLength: 10"));
        Assert.Equal(["m.yaml: filters.require[0]: uses what the linear-time engine cannot run (backreferences, lookarounds, atomic groups); rewrite it without them"], Errors("  require: ['(a)\\1']"));
        Assert.Contains(Errors("  forbid: ['([a-z']"), e => e.StartsWith("m.yaml: filters.forbid[0]: is not a valid regular expression (", StringComparison.Ordinal));
        Assert.Equal(["m.yaml: filters.require[0]: must be a regular expression written as text"], Errors("  require: [{a: 1}]"));
        Assert.Contains(Errors("  jsonSchema: { type: strin }"), e => e.StartsWith("m.yaml: filters.jsonSchema: is not a usable JSON Schema (", StringComparison.Ordinal));
        Assert.Equal(["m.yaml: filters.jsonSchema: refers to a document elsewhere ('https://example.com/s.json'); only references inside the schema (starting with '#') are allowed, nothing is fetched"],
            Errors("  jsonSchema: { properties: { a: { $ref: 'https://example.com/s.json' } } }"));
        Assert.Equal(["m.yaml: filters.jsonSchema: must be a JSON Schema written as a mapping (e.g. type: object, required: [claim])"], Errors("  jsonSchema: schema.json"));
        Assert.Equal(["m.yaml: filters: needs at least one of minLength, maxLength, require, forbid, jsonSchema, judge"], Errors("  minLength: 0"));
        Assert.Contains(Errors("  minLength: 1\n  maxLenght: 5"), e => e.StartsWith("m.yaml: filters.maxLenght: unknown field", StringComparison.Ordinal));
        Assert.Equal(["m.yaml: filters: apply only to selection first-valid (this loop's is all)"], Errors("  minLength: 1", "all"));
        var many = string.Join(", ", Enumerable.Range(0, 33).Select(i => $"'a{i}'"));
        Assert.Equal([$"m.yaml: filters.require: at most 32 patterns (got 33): every candidate is checked against each"], Errors($"  require: [{many}]"));
    }

    [Fact]
    public void ASpecBuiltElsewhere_IsCheckedAgain_ByTheRules()
    {
        var spec = Read("  minLength: 1");
        Assert.Contains("filters.require[0]: uses what the linear-time engine cannot run (backreferences, lookarounds, atomic groups); rewrite it without them",
            LoopSpecRules.Problems(spec with { Filters = spec.Filters! with { Require = ["(?<=a)b"] } }, inlineBackends: true));
        Assert.Contains("filters: apply only to selection first-valid (this loop's is all)",
            LoopSpecRules.Problems(spec with { Selection = new SelectionSpec(SelectionKind.All, 0) }, inlineBackends: true));
        Assert.Contains("selection: first-valid with simulator openai needs a validity test (filters)", LoopSpecRules.Problems(spec with { Filters = null }, inlineBackends: true));
        Assert.Contains(LoopSpecRules.Problems(spec with { Filters = spec.Filters! with { JsonSchema = "{\"$ref\": \"http://169.254.169.254/\"}" } }, inlineBackends: true),
            p => p.StartsWith("filters.jsonSchema: refers to a document elsewhere", StringComparison.Ordinal));
    }

    [Fact]
    public void HostilePatternsAndTexts_StayLinear()
    {
        // A pattern that is catastrophic on a backtracking engine, on the text that triggers it: the linear engine answers at once.
        var evil = new FilterSpec(0, 0, ["^(a+)+$"], []);
        var text = new string('a', 50_000) + "!";
        var sw = System.Diagnostics.Stopwatch.StartNew();
        Assert.False(CandidateFilter.Passes(evil, text));
        Assert.True(sw.Elapsed < TimeSpan.FromSeconds(5), $"took {sw.Elapsed}");
    }

    [Theory]
    [InlineData(4, 4, 0)]
    [InlineData(4, 1, 2)]
    [InlineData(4, 3, 0.415)]
    public void FirstValid_WithFilters_ChargesMinusLog2OfThePassRate(int seen, int passing, double bits)
    {
        var filters = new FilterSpec(0, 0, ["PASS"], []);
        var candidates = Enumerable.Range(0, seen).Select(i => new Candidate(i, i < passing ? $"PASS {i}" : $"fail {i}", 0, 0)).Reverse().ToList();
        var outcome = Selector.Select(new SelectionSpec(SelectionKind.FirstValid, 0), candidates, _ => 0, t => CandidateFilter.Passes(filters, t));
        Assert.Equal([0], outcome.Chosen);
        Assert.Equal(bits, outcome.Bits, 3);
    }
}
