using Mimicry.SpecReading;

namespace Mimicry.UnitTests.Specs;

public class DurationsAndDocumentTests
{
    [Theory]
    [InlineData("500ms", 500)]
    [InlineData("2s", 2_000)]
    [InlineData("1.5m", 90_000)]
    [InlineData("3h", 10_800_000)]
    [InlineData("7d", 604_800_000)]
    [InlineData("1w", 604_800_000)]
    [InlineData("P1D", 86_400_000)]
    [InlineData("PT1H30M", 5_400_000)]
    public void TryParse_AcceptsShortAndIsoForms(string text, long ms)
    {
        Assert.True(Durations.TryParse(text, out var d));
        Assert.Equal(TimeSpan.FromMilliseconds(ms), d);
    }

    [Theory]
    [InlineData("soon")]
    [InlineData("5 parsecs")]
    [InlineData("-2s")]
    [InlineData("P")]
    [InlineData("")]
    public void TryParse_RejectsOtherText(string text) => Assert.False(Durations.TryParse(text, out _));

    [Fact]
    public void Format_UsesTheLargestWholeUnit()
    {
        Assert.Equal(["0s", "7d", "3h", "2s", "250ms"],
            new[] { TimeSpan.Zero, TimeSpan.FromDays(7), TimeSpan.FromHours(3), TimeSpan.FromSeconds(2), TimeSpan.FromMilliseconds(250) }.Select(Durations.Format));
    }

    [Fact]
    public void Yaml_DuplicateKey_IsAnError()
    {
        var ex = Assert.Throws<SpecException>(() => SpecDocument.Parse("x.yaml", "name: a\nname: b\n"));
        var error = Assert.Single(ex.Errors);
        Assert.StartsWith("x.yaml: not valid YAML (line 2, column 1): ", error);
        Assert.Contains("uplicate key", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Yaml_QuotedNumbersStayText_PlainOnesAreNumbers()
    {
        var node = SpecDocument.Parse("x.yaml", "a: '42'\nb: 42\nc: true\nd: ~\n")!.AsObject();
        Assert.Equal("\"42\"", node["a"]!.ToJsonString());
        Assert.Equal("42", node["b"]!.ToJsonString());
        Assert.Equal("true", node["c"]!.ToJsonString());
        Assert.Null(node["d"]);
    }

    [Fact]
    public void Json_Invalid_ReportsLine()
    {
        var ex = Assert.Throws<SpecException>(() => SpecDocument.Parse("x.json", "{\n \"name\": \n}"));
        Assert.StartsWith("x.json: not valid JSON (line 3)", Assert.Single(ex.Errors));
    }
}
