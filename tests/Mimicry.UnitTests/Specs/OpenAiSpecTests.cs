using Mimicry.SpecReading;

namespace Mimicry.UnitTests.Specs;

/// <summary><c>simulator: openai</c> is checked whole before any session starts, with the field named.</summary>
public sealed class OpenAiSpecTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 29, 12, 0, 0, TimeSpan.Zero);
    private readonly string _folder = Directory.CreateTempSubdirectory("mimicry-spec-").FullName;

    private static string Yaml(string simulator, string selection = "all") => TestSpec.Yaml("", simulator, selection);

    private string[] Errors(string yaml, Func<string, string?>? env = null) => [.. ErrorList(yaml, env)];

    private IReadOnlyList<string> ErrorList(string yaml, Func<string, string?>? env)
    {
        var ex = Assert.Throws<SpecException>(() => SpecReader.Parse("m.yaml", yaml, Now, new SpecContext(_folder, env ?? (_ => null))));
        return ex.Errors;
    }

    [Fact]
    public void AFullSpec_IsRead_WithTheTemplateFromItsFile_AndNoKeyInIt()
    {
        File.WriteAllText(Path.Combine(_folder, "p.txt"), "=== system ===\nYou are {{researcher.name}}.\n=== user ===\n{{question}}\n{{notebook}}\n");
        var spec = SpecReader.Parse("m.yaml", Yaml("""
              kind: openai
              baseUrl: http://127.0.0.1:8000/v1
              model: qwen2.5-7b
              apiKeyVariable: VLLM_KEY
              temperature: 0.3
              maxOutputTokens: 500
              requestTimeout: 30s
              retries: 3
              maxConcurrency: 8
              requestsPerMinute: 120
              tokensPerMinute: 60000
              prices: { input: 0.1, output: 0.4, currency: EUR }
              prompt: p.txt
            """), Now, new SpecContext(_folder, v => v == "VLLM_KEY" ? "sk-secret" : null));
        var m = spec.Simulator.OpenAi!;
        Assert.Equal(("openai", "http://127.0.0.1:8000/v1", "qwen2.5-7b", "VLLM_KEY"), (spec.Simulator.Kind, m.BaseUrl, m.Model, m.ApiKeyVariable));
        Assert.Equal((0.3, 500, TimeSpan.FromSeconds(30), 3), (m.Temperature, m.MaxOutputTokens, m.RequestTimeout, m.Retries));
        Assert.Equal((8, 120, 60000), (m.Limits.MaxConcurrency, m.Limits.RequestsPerMinute, m.Limits.TokensPerMinute));
        Assert.Equal("p.txt", m.Prompt.Source);
        Assert.Equal("You are {{researcher.name}}.", m.Prompt.System);
        Assert.Equal(0.5, m.Prices.Cost(1_000_000, 1_000_000), 9);
        Assert.DoesNotContain("sk-secret", SpecJson.Serialize(spec), StringComparison.Ordinal);
    }

    [Fact]
    public void Defaults_AreTheDocumentedOnes()
    {
        var m = SpecReader.Parse("m.yaml", Yaml("  kind: openai\n  baseUrl: https://api.openai.com/v1\n  model: gpt-4o-mini"), Now, new SpecContext(_folder, _ => null)).Simulator.OpenAi!;
        Assert.Equal((null, 1024, true, TimeSpan.FromSeconds(120), 6), (m.ApiKeyVariable, m.MaxOutputTokens, m.SendSeed, m.RequestTimeout, m.Retries));
        Assert.Equal((16, 0, 0), (m.Limits.MaxConcurrency, m.Limits.RequestsPerMinute, m.Limits.TokensPerMinute));
        Assert.Equal("default", m.Prompt.Source);
        Assert.Equal((0.0, "USD"), (m.Prices.Cost(1000, 1000), m.Prices.Currency));
    }

    [Fact]
    public void MissingOrBadFields_AreAllNamed_AtOnce()
    {
        var errors = Errors(Yaml("  kind: openai\n  baseUrl: localhost:8000\n  apiKeyVariable: NOT_SET_ANYWHERE\n  lemmas: 5\n  prompt: missing.txt"));
        Assert.Contains("m.yaml: simulator.baseUrl: must be an absolute http:// or https:// URL, such as https://api.openai.com/v1 (got 'localhost:8000')", errors);
        Assert.Contains("m.yaml: simulator.model: is required", errors);
        Assert.Contains("m.yaml: simulator.apiKeyVariable: the environment variable NOT_SET_ANYWHERE is not set (it must hold the API key; the key itself never goes in the spec)", errors);
        Assert.Contains(errors, e => e.StartsWith("m.yaml: simulator.lemmas: unknown field", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("m.yaml: simulator.prompt: cannot read the template ", StringComparison.Ordinal));
        Assert.Equal(5, errors.Length);
    }

    [Fact]
    public void ABadTemplate_AndSelectionsWithoutACritic_AreRefused()
    {
        File.WriteAllText(Path.Combine(_folder, "bad.txt"), "=== system ===\n{{notebook}}\n=== user ===\nno notebook here {{whatever}}\n");
        var errors = Errors(Yaml("  kind: openai\n  baseUrl: http://h/v1\n  model: m\n  prompt: bad.txt", selection: "best-of-2"));
        Assert.Contains("m.yaml: simulator.prompt: bad.txt system: {{notebook}} belongs in the user message (notebook text is data, never instructions)", errors);
        Assert.Contains("m.yaml: simulator.prompt: bad.txt user: must hold {{notebook}} exactly once (found 0)", errors);
        Assert.Contains(errors, e => e.StartsWith("m.yaml: simulator.prompt: bad.txt user: unknown placeholder '{{whatever}}'", StringComparison.Ordinal));

        errors = Errors(Yaml("  kind: openai\n  baseUrl: http://h/v1\n  model: m", selection: "best-of-2"));
        Assert.Equal(["m.yaml: selection: best-of-2 with simulator openai needs a critic: add a critic section ('critic: {}' asks the simulator's own model; docs/models.md#the-critic)"], errors);
        errors = Errors(Yaml("  kind: openai\n  baseUrl: http://h/v1\n  model: m", selection: "first-valid"));
        Assert.Equal(["m.yaml: selection: first-valid with simulator openai needs a validity test: add a filters section (minLength, maxLength, require, forbid, jsonSchema or a model judge)"], errors);
    }

    [Fact]
    public void OverflowDigest_IsTheSimulatorsAlone_AndNeedsAWindowOfFourAnswers()
    {
        const string model = "  kind: openai\n  baseUrl: http://h/v1\n  model: m\n  maxOutputTokens: 500";
        var spec = SpecReader.Parse("m.yaml", Yaml(model + "\n  contextTokens: 2000\n  overflow: digest\ncritic: {}", selection: "best-of-2"), Now, new SpecContext(_folder, _ => null));
        Assert.Equal("digest", spec.Simulator.OpenAi!.OverflowPolicy);
        // The critic inherits the window, not the digests: it reads the notebook as the day's sessions did.
        Assert.Equal((2000, "recent"), (spec.Critic!.Model.ContextTokens, spec.Critic.Model.OverflowPolicy));

        var errors = Errors(Yaml(model + "\n  contextTokens: 1999\n  overflow: digest"));
        Assert.Equal(["m.yaml: simulator.contextTokens: must be at least 4 times maxOutputTokens (500) with overflow: digest: a digest is up to maxOutputTokens long and must leave room for the days after it"], errors);
        errors = Errors(Yaml(model + "\n  contextTokens: 4000\ncritic: { overflow: digest }", selection: "best-of-2"));
        Assert.Equal(["m.yaml: critic.overflow: must be one of: recent, fail (got 'digest')"], errors);
    }

    [Fact]
    public void Budgets_ForTokensAndCost_AreRead_AndLeftOutOfOlderSpecsHashes()
    {
        var plain = SpecReader.Parse("m.yaml", Yaml("  kind: synthetic"), Now);
        Assert.DoesNotContain("maxTokens", SpecJson.Serialize(plain), StringComparison.Ordinal);
        Assert.DoesNotContain("openAi", SpecJson.Serialize(plain), StringComparison.Ordinal);
        var withBudgets = SpecReader.Parse("m.yaml", Yaml("  kind: synthetic") + "\nbudgets: { maxTokens: 1000000, maxCost: 12.5 }", Now);
        Assert.Equal((1_000_000L, 12.5), (withBudgets.Budgets.MaxTokens, withBudgets.Budgets.MaxCost));
        Assert.Equal(withBudgets, SpecJson.Deserialize(SpecJson.Serialize(withBudgets)));
    }
}
