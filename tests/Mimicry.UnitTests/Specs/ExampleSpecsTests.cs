using Mimicry.SpecReading;

namespace Mimicry.UnitTests.Specs;

/// <summary>The example specs under docs/examples are what users copy: they must stay valid.</summary>
public class ExampleSpecsTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 29, 12, 0, 0, TimeSpan.Zero);

    private static string ExamplesFolder() => Path.Combine(TestRoot.Find(), "docs", "examples");

    public static TheoryData<string> Examples() =>
        new(Directory.GetFiles(ExamplesFolder()).Where(f => f.EndsWith(".yaml", StringComparison.Ordinal) || f.EndsWith(".json", StringComparison.Ordinal)).Select(Path.GetFileName)!);

    [Theory]
    [MemberData(nameof(Examples))]
    public void Example_IsAValidSpec(string file)
    {
        // Model examples name an API-key variable; here every variable counts as set.
        var spec = SpecReader.Load(Path.Combine(ExamplesFolder(), file), Now, new SpecContext(ExamplesFolder(), _ => "set"));
        Assert.False(string.IsNullOrEmpty(spec.Name));
    }

    [Fact]
    public void YamlAndJsonVersions_AreTheSameSpec()
    {
        var yaml = SpecReader.Load(Path.Combine(ExamplesFolder(), "ada-weekly.yaml"), Now);
        var json = SpecReader.Load(Path.Combine(ExamplesFolder(), "ada-weekly.json"), Now);
        Assert.Equal(SpecJson.Serialize(yaml), SpecJson.Serialize(json));
    }
}
