using Mimicry.Spec;
using Mimicry.SpecReading;

namespace Mimicry.UnitTests.Specs;

/// <summary>What a server takes in a spec (a backend, no URL, no key variable, no file) and the rules a grain checks again.</summary>
public sealed class ServerSpecRulesTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 29, 12, 0, 0, TimeSpan.Zero);

    private static readonly ModelBackend Fake = new("fake", "http://127.0.0.1:9/v1", "FAKE_KEY", null, ["m1"], new RateLimitSpec(8, 600, 0), new PriceSpec(1, 2, "EUR"));

    private static string Yaml(string simulator) => $"""
        name: m
        researcher: {"{"} id: ada, name: Ada {"}"}
        question: Q?
        anchor: {"{"} policy: fixed, time: 2026-11-01T09:00:00Z {"}"}
        days: 3
        simulator:
        {simulator}
        """;

    private static SpecContext Server => SpecContext.Server(new Dictionary<string, ModelBackend> { ["fake"] = Fake });

    [Fact]
    public void AServer_RefusesAUrl_AKeyVariable_AndAPromptFile_EachNamed()
    {
        var ex = Assert.Throws<SpecException>(() => SpecReader.Parse("m.yaml", Yaml("""
              kind: openai
              baseUrl: https://elsewhere.example/v1
              model: m1
              apiKeyVariable: Mimicry__Cluster__Database
              prompt: /etc/passwd
            """), Now, Server));
        Assert.Equal([
            "m.yaml: simulator.baseUrl: this server takes no model URLs or key variables in specs; name one of its backends with simulator.backend (fake)",
            "m.yaml: simulator.apiKeyVariable: this server reads no environment variables named by specs; its backends hold their own keys",
            "m.yaml: simulator.prompt: a server reads no files named by specs; leave prompt out for the default template (docs/models.md)",
        ], ex.Errors);
    }

    [Fact]
    public void ABackend_GivesItsQuotasAndPrices_AndOnlyItsModels()
    {
        var spec = SpecReader.Parse("m.yaml", Yaml("  kind: openai\n  backend: fake\n  model: m1"), Now, Server);
        var o = spec.Simulator.OpenAi!;
        Assert.Equal(("fake", "", null), (o.Backend, o.BaseUrl, o.ApiKeyVariable));
        Assert.Equal((new RateLimitSpec(8, 600, 0), new PriceSpec(1, 2, "EUR")), (o.Limits, o.Prices));
        var wrong = Assert.Throws<SpecException>(() => SpecReader.Parse("m.yaml", Yaml("  kind: openai\n  backend: fake\n  model: m2\n  maxConcurrency: 99"), Now, Server));
        Assert.Equal(["m.yaml: simulator.model: backend 'fake' allows m1 (got 'm2')", "m.yaml: simulator.maxConcurrency: backend 'fake' allows at most 8 (got 99)"], wrong.Errors);
        Assert.Empty(LoopSpecRules.Problems(spec, inlineBackends: false));
    }

    [Fact]
    public void AUrlWithUserInfo_IsRefusedEverywhere()
    {
        var local = Assert.Throws<SpecException>(() => SpecReader.Parse("m.yaml", Yaml("  kind: openai\n  baseUrl: https://me:pw@api.example/v1\n  model: m1"), Now,
            new SpecContext(Path.GetTempPath(), _ => null)));
        Assert.Equal(["m.yaml: simulator.baseUrl: must not carry a user name or password (user-info before '@'); the key goes in apiKeyVariable or in a server's backend"], local.Errors);
        var good = SpecReader.Parse("m.yaml", Yaml("  kind: openai\n  baseUrl: https://api.example/v1\n  model: m1"), Now, new SpecContext(Path.GetTempPath(), _ => null));
        var smuggled = good with { Simulator = good.Simulator with { OpenAi = good.Simulator.OpenAi! with { BaseUrl = "https://me:pw@api.example/v1" } } };
        Assert.Contains(LoopSpecRules.Problems(smuggled, inlineBackends: true), p => p.StartsWith("simulator.baseUrl: must not carry a user name or password", StringComparison.Ordinal));
        Assert.Equal(["simulator.baseUrl: this server takes no model URLs or key variables in specs; name one of its backends with simulator.backend"], LoopSpecRules.Problems(good, inlineBackends: false));
    }

    [Fact]
    public void TheGrainRules_CatchWhatTheReaderWouldHave()
    {
        var good = SpecReader.Parse("m.yaml", Yaml("  kind: synthetic"), Now, SpecContext.Current);
        Assert.Empty(LoopSpecRules.Problems(good, inlineBackends: false));
        Assert.Equal(["width: must be between 1 and 256 (got 0)"], LoopSpecRules.Problems(good with { Width = 0 }, false));
        Assert.Equal(["budgets.maxBits: must be a finite number, 0 (unlimited) or more"], LoopSpecRules.Problems(good with { Budgets = good.Budgets with { MaxBits = double.NaN } }, false));
        Assert.Equal(["question: must be non-empty text without control characters"], LoopSpecRules.Problems(good with { Question = "ok\u001b]0;pwned\u0007" }, false));
        Assert.Equal(["fork.bits: must be a finite number, 0 or more (got -1)"], LoopSpecRules.Problems(good with { Fork = new ForkSpec("p", 0, 1, -1, []) }, false));
    }
}

/// <summary>Untrusted text reaches terminals with nothing that moves, recolours or reorders what is around it.</summary>
public sealed class InertTextTests
{
    [Theory]
    [InlineData("a\u001b[2Jb", "a[2Jb")]
    [InlineData("left\u200Eto\u200Fright\u061C", "lefttoright")]
    [InlineData("x\u202Ey\u2066z\u2069", "xyz")]
    [InlineData("line one\nline two\tend", "line one\nline two\tend")]
    [InlineData("caf\u00e9 \u4e2d\u6587 \U0001F600", "caf\u00e9 \u4e2d\u6587 \U0001F600")]
    public void ForTerminal_DropsControlsAndBidiMarks_AndKeepsText(string input, string expected) =>
        Assert.Equal(expected, Mimicry.Text.InertText.ForTerminal(input));
}

/// <summary>A small spec file cannot become a huge one: aliases, nesting, size and value count are capped.</summary>
public sealed class SpecDocumentLimitsTests
{
    [Fact]
    public void NestedAliases_AreRefused_BeforeTheyExpand()
    {
        // Nine levels of ten aliases would expand to 10^9 values.
        var yaml = new System.Text.StringBuilder("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
        for (var i = 1; i < 10; i++)
        {
            yaml.Append(System.Globalization.CultureInfo.InvariantCulture, $"a{i}: &a{i} [{string.Join(", ", Enumerable.Repeat($"*a{i - 1}", 10))}]\n");
        }
        var sw = System.Diagnostics.Stopwatch.StartNew();
        var ex = Assert.Throws<SpecException>(() => SpecDocument.Parse("bomb.yaml", yaml.ToString()));
        Assert.Equal(["bomb.yaml: line 2: aliases and anchors are not supported"], ex.Errors);
        Assert.True(sw.Elapsed < TimeSpan.FromSeconds(2), $"took {sw.Elapsed}");
    }

    [Fact]
    public void DeepNesting_TooManyValues_AndHugeFiles_AreRefusedWithTheLimitNamed()
    {
        Assert.Equal(["deep.yaml: line 1: nested more than 64 levels deep"],
            Assert.Throws<SpecException>(() => SpecDocument.Parse("deep.yaml", new string('[', 100_000))).Errors);
        Assert.StartsWith("deep.json: not valid JSON",
            Assert.Throws<SpecException>(() => SpecDocument.Parse("deep.json", new string('[', 1000))).Errors[0], StringComparison.Ordinal);
        Assert.Equal(["many.yaml: the spec holds more than 100,000 values"],
            Assert.Throws<SpecException>(() => SpecDocument.Parse("many.yaml", "tamperDays: [" + string.Join(",", Enumerable.Repeat("1", 150_000)) + "]")).Errors);
        Assert.Equal(["many.json: the spec holds more than 100,000 values"],
            Assert.Throws<SpecException>(() => SpecDocument.Parse("many.json", "{\"a\": [" + string.Join(",", Enumerable.Repeat("1", 150_000)) + "]}")).Errors);
        Assert.Equal(["huge.yaml: the spec is 1,000,001 characters long; at most 1,000,000 are read"],
            Assert.Throws<SpecException>(() => SpecDocument.Parse("huge.yaml", new string('#', 1_000_001))).Errors);
    }
}
