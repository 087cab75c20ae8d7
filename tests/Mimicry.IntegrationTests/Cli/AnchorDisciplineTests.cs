using System.Text.Json;

namespace Mimicry.IntegrationTests.Cli;

/// <summary>A future anchor is refused unless the spec allows it, and then status and provenance say so.</summary>
public sealed class AnchorDisciplineTests
{
    private static string Yaml(string extra) => $"""
        name: future
        researcher: {"{"} id: ada, name: Ada {"}"}
        question: Q?
        anchor: {"{"} policy: fixed, time: 2031-01-01T09:00:00Z{extra} {"}"}
        days: 3
        branches: 2
        """;

    [Fact]
    public async Task AFutureAnchor_IsRefused_OrFlaggedEverywhere_WhenAllowed()
    {
        var path = Path.Combine(Path.GetTempPath(), $"future-{Guid.NewGuid():N}.yaml");
        var data = CliProcess.TempFolder("future");
        await File.WriteAllTextAsync(path, Yaml(""));
        var refused = await CliProcess.RunAsync(TimeSpan.FromMinutes(1), "run", path, "--data", data);
        Assert.Equal(2, refused.ExitCode);
        Assert.Contains("a simulated researcher must not wake up in the future (set anchor.allowFutureAnchor: true to allow it)", refused.Stderr, StringComparison.Ordinal);

        await File.WriteAllTextAsync(path, Yaml(", allowFutureAnchor: true"));
        Assert.Equal(0, (await CliProcess.RunAsync(TimeSpan.FromMinutes(1), "run", path, "--data", data)).ExitCode);
        var status = await CliProcess.RunAsync(TimeSpan.FromMinutes(1), "status", "--data", data);
        Assert.Contains("    simulated research time: 6 researcher-days (per branch 3–3); FUTURE ANCHORS ALLOWED (anchor.allowFutureAnchor)", status.Stdout, StringComparison.Ordinal);
        var notebook = await CliProcess.RunAsync(TimeSpan.FromMinutes(1), "notebook", "future", "--data", data, "--format", "jsonl");
        var lines = notebook.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(6, lines.Length);
        Assert.All(lines, l => Assert.True(JsonDocument.Parse(l).RootElement.GetProperty("futureAnchorAllowed").GetBoolean()));
    }
}
