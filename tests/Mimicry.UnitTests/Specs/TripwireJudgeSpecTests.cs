using Mimicry.Spec;
using Mimicry.SpecReading;

namespace Mimicry.UnitTests.Specs;

/// <summary>
/// <c>tripwires.modelJudge</c> as the reader takes it, and the tripwires section as the server checks it again on a
/// built spec (a grain must not trust that a spec came through the reader).
/// </summary>
public sealed class TripwireJudgeSpecTests
{
    private const string OpenAi = TestSpec.OpenAi;

    private static LoopSpec Read(string tripwires, string simulator = OpenAi) => TestSpec.Read(TestSpec.Yaml($"tripwires:\n{tripwires}", simulator));

    private static string[] Errors(string tripwires, string simulator = OpenAi) => TestSpec.Errors(TestSpec.Yaml($"tripwires:\n{tripwires}", simulator));

    [Fact]
    public void AModelJudge_TakesTheSimulatorsModel_AndTheBuiltInCriteria_UnlessTold()
    {
        var judge = Read("  modelJudge: {}").Tripwires!.ModelJudge!;
        Assert.Equal(("m", "http://h/v1"), (judge.Model.Model, judge.Model.BaseUrl));
        Assert.Equal(TripwireReader.DefaultJudgeCriteria, judge.Criteria);
        Assert.Contains("{{today}}", judge.Criteria, StringComparison.Ordinal);

        var own = Read("  modelJudge:\n    model: small-1\n    criteria: The entry is about number theory.").Tripwires!.ModelJudge!;
        Assert.Equal(("small-1", "The entry is about number theory."), (own.Model.Model, own.Criteria));
        Assert.Null(Read("  futureLeakage: true").Tripwires!.ModelJudge);
    }

    [Fact]
    public void ABadModelJudge_IsRefused_NamingTheField()
    {
        Assert.Equal(["m.yaml: tripwires.modelJudge: a model judge goes with simulator kind openai (the synthetic simulator has no model to ask)"],
            Errors("  modelJudge: {}", "  kind: synthetic"));
        Assert.Equal(["m.yaml: tripwires.modelJudge.criteria: must say what an entry that passes is (or leave it out for the built-in criteria)"],
            Errors("  modelJudge:\n    criteria: '   '"));
        Assert.Contains(Errors("  modelJudge:\n    colour: red"), e => e.StartsWith("m.yaml: tripwires.modelJudge.colour:", StringComparison.Ordinal));
    }

    [Fact]
    public void TheServer_ChecksTheTripwiresSectionAgain()
    {
        var good = Read("  modelJudge: {}\n  patterns:\n    - { name: secret, regex: 'sk-[a-z]+' }");
        Assert.Empty(LoopSpecRules.Problems(good, inlineBackends: true));
        var t = good.Tripwires!;

        Assert.Equal(["tripwires.patterns[0].regex: is not a valid regular expression (Invalid pattern '(' at offset 1. Not enough )'s)"],
            LoopSpecRules.Problems(good with { Tripwires = t with { Patterns = [new TripwirePattern("x", "(")] } }, true));
        Assert.Equal([$"tripwires.patterns: at most {TripwireReader.MaxPatterns} patterns"],
            LoopSpecRules.Problems(good with { Tripwires = t with { Patterns = [.. Enumerable.Range(0, 51).Select(i => new TripwirePattern($"p{i}", "a"))] } }, true));
        Assert.Equal(["tripwires.patterns[0]: needs a name (1-64 characters) and a regex (1-500 characters)"],
            LoopSpecRules.Problems(good with { Tripwires = t with { Patterns = [new TripwirePattern("x", new string('a', 501))] } }, true));
        Assert.Equal(["tripwires.outOfDistribution: must be between 0 and 1 (got NaN)"],
            LoopSpecRules.Problems(good with { Tripwires = t with { OutOfDistribution = double.NaN } }, true));
        Assert.Equal(["tripwires.modelJudge: needs its model settings and criteria (text without control characters)"],
            LoopSpecRules.Problems(good with { Tripwires = t with { ModelJudge = t.ModelJudge! with { Criteria = "pass\u001b[2J" } } }, true));
        Assert.Equal(["tripwires.modelJudge: a model judge goes with simulator kind openai"],
            LoopSpecRules.Problems(good with { Simulator = good.Simulator with { Kind = "synthetic", OpenAi = null } }, true).Where(p => p.StartsWith("tripwires", StringComparison.Ordinal)));
    }
}
