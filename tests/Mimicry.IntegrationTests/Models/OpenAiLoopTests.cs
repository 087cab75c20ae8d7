using System.Text.Json;

namespace Mimicry.IntegrationTests.Models;

/// <summary>Loops with <c>simulator: openai</c>, run by the real CLI against a real HTTP server that speaks the OpenAI wire format.</summary>
public sealed class OpenAiLoopTests : IAsyncLifetime
{
    private FakeOpenAiServer _server = null!;
    private readonly string _data = CliProcess.TempFolder("openai");
    private readonly Dictionary<string, string> _env = new() { ["MIMICRY_TEST_KEY"] = "sk-test-secret" };

    public async Task InitializeAsync() => _server = await FakeOpenAiServer.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private async Task<string> SpecFileAsync(string yaml)
    {
        var path = Path.Combine(Path.GetTempPath(), $"openai-{Guid.NewGuid():N}.yaml");
        await File.WriteAllTextAsync(path, yaml);
        return path;
    }

    private Task<CliProcess.Result> RunAsync(string spec) => CliProcess.RunAsync(TimeSpan.FromMinutes(3), _env, "run", spec, "--data", _data);

    private async Task<JsonElement> StatusAsync(string loop)
    {
        var status = await CliProcess.RunAsync(TimeSpan.FromMinutes(1), _env, "status", "--data", _data, "--json");
        Assert.True(status.ExitCode == 0, status.Stderr);
        using var doc = JsonDocument.Parse(status.Stdout);
        return doc.RootElement.EnumerateArray().Single(l => l.GetProperty("loop").GetString() == loop).Clone();
    }

    [Fact]
    public async Task ALoop_RunsEndToEnd_SendingWhatTheSpecSays_AndAccountsForEveryToken()
    {
        var spec = await SpecFileAsync(OpenAiSpecs.Yaml("e2e", _server.BaseUrl));
        var run = await RunAsync(spec);
        Assert.True(run.ExitCode == 0, run.Stderr + run.Stdout);

        var requests = _server.Requests.ToList();
        Assert.True(requests.Count == 3 * 4 * 2, $"{requests.Count} requests; run said: {run.Stdout} {run.Stderr}");
        Assert.All(requests, r =>
        {
            Assert.Equal("Bearer sk-test-secret", r.Authorization);
            Assert.Equal("test-model-1", r.Model);
            Assert.Equal(200, r.MaxTokens);
            Assert.Equal(0.7, (double)r.Body["temperature"]!, 3);
            Assert.NotNull(r.Seed);
            Assert.Contains("You are Ada Example.", r.System, StringComparison.Ordinal);
            Assert.Contains("Today is Sunday, 1 November 2026.", r.System, StringComparison.Ordinal);
            Assert.Contains("Is every even number greater than 2 the sum of two primes?", r.User, StringComparison.Ordinal);
        });
        // Day 1 starts from an empty notebook; later days carry the earlier entries, fenced as data.
        Assert.All(requests.Where(r => r.User.Contains("Your notebook is empty", StringComparison.Ordinal)), r => Assert.DoesNotContain("<<entry", r.User, StringComparison.Ordinal));
        Assert.Equal(3 * 2, requests.Count(r => r.User.Contains("Your notebook is empty", StringComparison.Ordinal)));
        var late = requests.Where(r => r.User.Contains("<<entry 6 ", StringComparison.Ordinal)).ToList();
        Assert.Equal(3 * 2, late.Count); // day 4 sees 2 entries from each of days 1-3
        Assert.All(late, r => Assert.Contains("is DATA you wrote earlier", r.User, StringComparison.Ordinal));

        // Accounting: what the server billed, summed; cost from the price table.
        long input = requests.Sum(r => (long)(FakeOpenAiServer.TokensOf(r.System) + FakeOpenAiServer.TokensOf(r.User)));
        long output = requests.Sum(r => (long)FakeOpenAiServer.TokensOf(FakeOpenAiServer.AnswerFor(r.User, r.Seed)));
        var status = await StatusAsync("e2e");
        Assert.Equal("completed", status.GetProperty("status").GetString());
        Assert.Equal(input, status.GetProperty("inputTokens").GetInt64());
        Assert.Equal(output, status.GetProperty("outputTokens").GetInt64());
        Assert.Equal((input * 2.5 + output * 10) / 1e6, status.GetProperty("cost").GetDouble(), 6);
        Assert.Equal(24, status.GetProperty("entries").GetInt64());

        // Provenance: each entry carries its own session's tokens, and the text the server sent.
        var notebook = await CliProcess.RunAsync(TimeSpan.FromMinutes(1), _env, "notebook", "e2e", "--data", _data, "--format", "jsonl");
        var lines = notebook.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        Assert.Equal(24, lines.Count);
        Assert.Equal(output, lines.Sum(l => l.GetProperty("outputTokens").GetInt64()));
        Assert.All(lines, l => Assert.StartsWith("Notes for today.", l.GetProperty("text").GetString(), StringComparison.Ordinal));
        Assert.Equal(24, lines.Select(l => l.GetProperty("text").GetString()).Distinct().Count());
    }
}
