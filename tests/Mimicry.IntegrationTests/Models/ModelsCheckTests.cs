namespace Mimicry.IntegrationTests.Models;

/// <summary><c>mimicry models check</c> against a real HTTP server: what works is reported, what does not is one sentence.</summary>
public sealed class ModelsCheckTests : IAsyncLifetime
{
    private FakeOpenAiServer _server = null!;
    private readonly Dictionary<string, string> _env = new() { ["MIMICRY_TEST_KEY"] = "sk-test-secret" };

    public async Task InitializeAsync() => _server = await FakeOpenAiServer.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private async Task<CliProcess.Result> CheckAsync(string baseUrl, params string[] more)
    {
        var spec = Path.Combine(Path.GetTempPath(), $"check-{Guid.NewGuid():N}.yaml");
        await File.WriteAllTextAsync(spec, OpenAiSpecs.Yaml("check", baseUrl));
        return await CliProcess.RunAsync(TimeSpan.FromMinutes(1), _env, ["models", "check", "--spec", spec, .. more]);
    }

    [Fact]
    public async Task AWorkingBackend_IsReported_WithLatencyModelAndTokens()
    {
        var r = await CheckAsync(_server.BaseUrl);
        Assert.True(r.ExitCode == 0, r.Stderr);
        Assert.Contains($"{_server.BaseUrl} works.", r.Stdout, StringComparison.Ordinal);
        Assert.Matches("model      test-model-1 \\(answered by test-model-1\\)", r.Stdout);
        Assert.Matches("latency    [0-9]+ ms", r.Stdout);
        Assert.Matches("tokens     [0-9]+ in, [0-9]+ out", r.Stdout);
        var request = Assert.Single(_server.Requests);
        Assert.Equal("Bearer sk-test-secret", request.Authorization);
        Assert.Equal(16, request.MaxTokens);
    }

    [Fact]
    public async Task AHostileServersModelName_IsShownInert()
    {
        _server.AnsweredModel = "gpt\u001b]0;owned\u0007\u001b[2J\u202Eevil\u200F\u061C";
        var r = await CheckAsync(_server.BaseUrl);
        Assert.True(r.ExitCode == 0, r.Stderr);
        Assert.Contains("(answered by gpt]0;owned[2Jevil)", r.Stdout, StringComparison.Ordinal);
        foreach (var c in new[] { '\u001b', '\u0007', '\u202E', '\u200F', '\u061C' })
        {
            Assert.DoesNotContain(c, r.Stdout);
        }
    }

    [Theory]
    [InlineData(FakeReply.Unauthorized, "the server refused the API key from $MIMICRY_TEST_KEY (401): Incorrect API key provided")]
    [InlineData(FakeReply.UnknownModel, "the server has no model 'test-model-1' or no chat-completions endpoint at {url} (404): The model 'test-model-1' does not exist")]
    [InlineData(FakeReply.Huge, "the server's answer is larger than 8 MiB")]
    public async Task ARefusedKey_OrAnUnknownModel_IsOneSentence(FakeReply reply, string message)
    {
        _server.Behavior = _ => reply;
        var r = await CheckAsync(_server.BaseUrl);
        Assert.Equal(1, r.ExitCode);
        Assert.Equal($"mimicry: {_server.BaseUrl} (test-model-1): {message.Replace("{url}", _server.BaseUrl, StringComparison.Ordinal)}", r.Stderr.Trim());
        Assert.Single(_server.Requests); // not retried: retrying cannot help
    }

    [Fact]
    public async Task AnUnreachableServer_AndABadSpec_AreOneSentence()
    {
        var url = $"http://127.0.0.1:{TestPostgres.FreePort()}/v1";
        var r = await CheckAsync(url);
        Assert.Equal(1, r.ExitCode);
        Assert.Equal($"mimicry: {url} (test-model-1): cannot reach {url}: connection refused", r.Stderr.Trim());

        var spec = Path.Combine(Path.GetTempPath(), $"check-{Guid.NewGuid():N}.yaml");
        await File.WriteAllTextAsync(spec, OpenAiSpecs.Yaml("check", _server.BaseUrl, keyVariable: "SURELY_NOT_SET_HERE"));
        r = await CliProcess.RunAsync(TimeSpan.FromMinutes(1), ["models", "check", "--spec", spec]);
        Assert.Equal(2, r.ExitCode);
        Assert.EndsWith(": simulator.apiKeyVariable: the environment variable SURELY_NOT_SET_HERE is not set (it must hold the API key; the key itself never goes in the spec)", r.Stderr.Trim(), StringComparison.Ordinal);
        Assert.Empty(_server.Requests);
    }
}
