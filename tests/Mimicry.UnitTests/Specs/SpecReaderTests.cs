using Mimicry.Spec;
using Mimicry.SpecReading;

namespace Mimicry.UnitTests.Specs;

public class SpecReaderTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 29, 12, 0, 0, TimeSpan.Zero);

    internal const string Valid = """
        name: demo
        researcher:
          id: ada
          name: Ada Example
        question: Which symbol does each lemma hold?
        anchor:
          policy: fixed
          time: 2026-11-01T09:00:00Z
        days: 10
        branches: 3
        width: 4
        selection: best-of-4
        simulator:
          kind: synthetic
          lemmas: 5
          latency: 20ms
        seed: 7
        budgets:
          maxBits: 12
        """;

    private static string[] Errors(string yaml, string file = "x.yaml")
    {
        var ex = Assert.Throws<SpecException>(() => SpecReader.Parse(file, yaml, Now));
        return ex.Errors.ToArray();
    }

    private static string With(string find, string replace)
    {
        Assert.Contains(find, Valid, StringComparison.Ordinal);
        return Valid.Replace(find, replace, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_ValidYaml_ReadsEveryField()
    {
        var spec = SpecReader.Parse("demo.yaml", Valid, Now);
        Assert.Equal("demo", spec.Name);
        Assert.Equal("ada", spec.Researcher.Id);
        Assert.Equal(AnchorPolicy.Fixed, spec.Anchor.Policy);
        Assert.Equal(new DateTimeOffset(2026, 11, 1, 9, 0, 0, TimeSpan.Zero), spec.Anchor.Time);
        Assert.Equal((10, 3, 4), (spec.Days, spec.Branches, spec.Width));
        Assert.Equal(new SelectionSpec(SelectionKind.BestOfN, 4), spec.Selection);
        Assert.Equal(5, spec.Simulator.Synthetic.Lemmas);
        Assert.Equal(26, spec.Simulator.Synthetic.Alphabet);
        Assert.Equal(TimeSpan.FromMilliseconds(20), spec.Simulator.Latency);
        Assert.Equal(7, spec.Seed);
        Assert.Equal(12, spec.Budgets.MaxBits);
        Assert.Equal(0, spec.Budgets.MaxSessions);
    }

    [Fact]
    public void Parse_Json_GivesTheSameSpecAsYaml()
    {
        const string json = """
            {"name":"demo","researcher":{"id":"ada","name":"Ada Example"},"question":"Which symbol does each lemma hold?",
             "anchor":{"policy":"fixed","time":"2026-11-01T09:00:00Z"},"days":10,"branches":3,"width":4,"selection":"best-of-4",
             "simulator":{"kind":"synthetic","lemmas":5,"latency":"20ms"},"seed":7,"budgets":{"maxBits":12}}
            """;
        Assert.Equal(SpecJson.Serialize(SpecReader.Parse("demo.yaml", Valid, Now)), SpecJson.Serialize(SpecReader.Parse("demo.json", json, Now)));
    }

    [Fact]
    public void Parse_BranchesZero_NamesFileFieldAndProblem()
    {
        Assert.Equal(["quickstart.yaml: branches: must be between 1 and 1000000 (got 0)"], Errors(With("branches: 3", "branches: 0"), "quickstart.yaml"));
    }

    [Theory]
    [InlineData("days: 10", "days: 0", "x.yaml: days: must be between 1 and 100000 (got 0)")]
    [InlineData("days: 10", "days: ten", "x.yaml: days: must be a whole number (got \"ten\")")]
    [InlineData("width: 4", "width: 300", "x.yaml: width: must be between 1 and 256 (got 300)")]
    [InlineData("selection: best-of-4", "selection: best-of-3", "x.yaml: selection: best-of-3 picks among the day's 4 candidates: N must equal width (got N = 3, width = 4)")]
    [InlineData("selection: best-of-4", "selection: greedy", "x.yaml: selection: must be one of: all, best-of-N (N = width), first-valid (got 'greedy')")]
    [InlineData("  latency: 20ms", "  latency: soon", "x.yaml: simulator.latency: must be a duration such as 500ms, 2s, 5m, 3h, 7d or P7D (got \"soon\")")]
    [InlineData("  kind: synthetic", "  kind: gpt", "x.yaml: simulator.kind: must be one of: synthetic, openai (got 'gpt')")]
    [InlineData("  policy: fixed", "  policy: random", "x.yaml: anchor.policy: must be one of: fixed, stepped, follow (got 'random')")]
    [InlineData("  maxBits: 12", "  maxBits: -1", "x.yaml: budgets.maxBits: must be at least 0 and at most 1000000000000 (got -1)")]
    [InlineData("name: demo", "name: Demo Loop", "x.yaml: name: must be 1-64 lower-case letters, digits, '.', '_' or '-', starting with a letter or digit (got 'Demo Loop')")]
    [InlineData("  time: 2026-11-01T09:00:00Z", "  time: yesterday", "x.yaml: anchor.time: must be a date and time such as 2026-11-01T09:00:00Z (got \"yesterday\")")]
    public void Parse_BadValue_ReportsFieldPathAndProblem(string find, string replace, string expected)
    {
        Assert.Equal([expected], Errors(With(find, replace)));
    }

    [Fact]
    public void Parse_UnknownField_IsRejectedWithItsPath()
    {
        var errors = Errors(With("  lemmas: 5", "  lemmas: 5\n  lemmmas: 6"));
        var error = Assert.Single(errors);
        Assert.StartsWith("x.yaml: simulator.lemmmas: unknown field (known fields here: ", error);
    }

    [Fact]
    public void Parse_MissingRequiredFields_ReportsEachOne()
    {
        var errors = Errors("name: demo\ndays: 3\n");
        Assert.Equal(
            ["x.yaml: researcher: is required", "x.yaml: question: is required", "x.yaml: anchor: is required"],
            errors);
    }

    [Fact]
    public void Parse_SeveralProblems_ReportsAllAtOnce()
    {
        var errors = Errors(With("days: 10", "days: 0").Replace("branches: 3", "branches: -2", StringComparison.Ordinal));
        Assert.Equal(2, errors.Length);
        Assert.Contains("x.yaml: days: must be between 1 and 100000 (got 0)", errors);
        Assert.Contains("x.yaml: branches: must be between 1 and 1000000 (got -2)", errors);
    }

    [Fact]
    public void Parse_FixedAnchorInTheFuture_IsRejectedUnlessAllowed()
    {
        var future = With("time: 2026-11-01T09:00:00Z", "time: 2027-01-01T00:00:00Z");
        var error = Assert.Single(Errors(future));
        Assert.StartsWith("x.yaml: anchor.time: the anchor of day 1 (2027-01-01T00:00:00Z) would be later than now (2026-11-29T12:00:00Z)", error);

        var allowed = future.Replace("  policy: fixed", "  policy: fixed\n  allowFutureAnchor: true", StringComparison.Ordinal);
        Assert.True(SpecReader.Parse("x.yaml", allowed, Now).Anchor.AllowFutureAnchor);
    }

    [Fact]
    public void Parse_SteppedAnchorThatWouldPassThePresent_IsRejectedNamingTheDay()
    {
        // Starts 28 days before now, steps a week every 2 days: day 9 would wake on 2026-11-29T09:00, day 9 is fine, day 11 is not.
        var stepped = With("  policy: fixed\n  time: 2026-11-01T09:00:00Z", "  policy: stepped\n  time: 2026-11-01T09:00:00Z\n  step: 7d\n  everyDays: 2")
            .Replace("days: 10", "days: 12", StringComparison.Ordinal);
        var error = Assert.Single(Errors(stepped));
        Assert.StartsWith("x.yaml: anchor.step: the anchor of day 11 (", error);
    }

    [Fact]
    public void Parse_MaxSessionsBelowOneDayPerBranch_IsRejected()
    {
        var error = Assert.Single(Errors(With("  maxBits: 12", "  maxSessions: 11")));
        Assert.Equal("x.yaml: budgets.maxSessions: 11 is less than one day for every branch (branches × width = 12); each branch gets an equal share of the budget", error);
        Assert.Equal(12, SpecReader.Parse("x.yaml", With("  maxBits: 12", "  maxSessions: 12"), Now).Budgets.MaxSessions);
    }

    [Fact]
    public void Parse_InvalidYaml_ReportsLine()
    {
        var error = Assert.Single(Errors("name: [unclosed\n"));
        Assert.StartsWith("x.yaml: not valid YAML (line ", error);
    }

    [Fact]
    public void Parse_NotAMapping_SaysWhatASpecIs()
    {
        var error = Assert.Single(Errors("- just\n- a list\n"));
        Assert.StartsWith("x.yaml: the spec must be a mapping of fields", error);
    }

    [Fact]
    public void Load_MissingFile_ReportsPath()
    {
        var path = Path.Combine(Path.GetTempPath(), "mimicry-no-such-spec.yaml");
        var ex = Assert.Throws<SpecException>(() => SpecReader.Load(path, Now));
        Assert.StartsWith($"{path}: cannot read the spec file", Assert.Single(ex.Errors));
    }

    [Fact]
    public void Hash_DiffersWhenAnyFieldDiffers()
    {
        var a = SpecReader.Parse("x.yaml", Valid, Now);
        var b = SpecReader.Parse("x.yaml", With("seed: 7", "seed: 8"), Now);
        Assert.Equal(SpecJson.Hash(a), SpecJson.Hash(SpecJson.Deserialize(SpecJson.Serialize(a))));
        Assert.NotEqual(SpecJson.Hash(a), SpecJson.Hash(b));
    }
}
