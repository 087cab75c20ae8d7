using System.Net;
using Mimicry.Client;
using Mimicry.IntegrationTests.Models;

namespace Mimicry.IntegrationTests.Api;

/// <summary>Named backends: the key is read on the server from the operator's file, specs name the backend, and checks go through the API.</summary>
public sealed class BackendApiTests
{
    [Fact]
    public async Task ASpecNamingABackend_RunsOnIt_WithTheOperatorsKey_AndModelsCheck_GoesThroughTheApi()
    {
        await using var model = await FakeOpenAiServer.StartAsync();
        var keyFile = Path.Combine(Path.GetTempPath(), $"key-{Guid.NewGuid():N}");
        await File.WriteAllTextAsync(keyFile, "sk-from-the-operators-file\n");
        await using var server = await ApiServer.StartAsync(new Dictionary<string, string?>
        {
            ["Mimicry:Backends:fake:BaseUrl"] = model.BaseUrl,
            ["Mimicry:Backends:fake:ApiKeyFile"] = keyFile,
            ["Mimicry:Backends:fake:Models:0"] = "test-model-1",
            ["Mimicry:Backends:fake:InputPricePerMillion"] = "1",
            ["Mimicry:Backends:fake:OutputPricePerMillion"] = "2",
        });
        using var operatorClient = server.Client("operator");

        var check = await operatorClient.CheckModelAsync(new ModelCheckRequest("fake"));
        Assert.Equal(("fake", "test-model-1"), (check.Backend, check.Model));
        Assert.True(check.InputTokens > 0 && check.OutputTokens > 0);
        var unknown = await Assert.ThrowsAsync<MimicryApiException>(() => operatorClient.CheckModelAsync(new ModelCheckRequest("nope")));
        Assert.Equal(["backend: must be one of fake (got 'nope')"], unknown.Errors);
        var wrongModel = await Assert.ThrowsAsync<MimicryApiException>(() => operatorClient.CheckModelAsync(new ModelCheckRequest("fake", "gpt-9")));
        Assert.Equal(["model: backend 'fake' allows test-model-1"], wrongModel.Errors);
        using var viewer = server.Client("viewer");
        Assert.Equal(HttpStatusCode.Forbidden, (await Assert.ThrowsAsync<MimicryApiException>(() => viewer.CheckModelAsync(new ModelCheckRequest("fake")))).Status);

        var spec = OpenAiSpecs.Yaml("on-backend", model.BaseUrl, branches: 2, days: 2, width: 1)
            .Replace($"baseUrl: {model.BaseUrl}", "backend: fake", StringComparison.Ordinal)
            .Replace("  apiKeyVariable: MIMICRY_TEST_KEY\n", "", StringComparison.Ordinal)
            .Replace("  prices:\n    input: 2.5\n    output: 10\n", "", StringComparison.Ordinal);
        var loop = await operatorClient.SubmitAsync(spec, "on-backend.yaml");
        await foreach (var _ in operatorClient.FollowAsync(loop.Loop, TimeSpan.FromMilliseconds(100)))
        {
        }
        var done = await operatorClient.GetLoopAsync("on-backend");
        Assert.Equal(("completed", 4L), (done.State, done.Days));
        Assert.True(done.Cost > 0, "the operator's prices were not applied");
        Assert.All(model.Requests, r => Assert.Equal("Bearer sk-from-the-operators-file", r.Authorization));
        Assert.Equal(1 + 4, model.Requests.Count);
        // The stored spec names the backend, never its URL or key.
        var stored = await operatorClient.GetSpecJsonAsync("on-backend");
        Assert.Contains("\"backend\":\"fake\"", stored, StringComparison.Ordinal);
        Assert.DoesNotContain(model.BaseUrl, stored, StringComparison.Ordinal);
        Assert.DoesNotContain("sk-from", stored, StringComparison.Ordinal);

        // A spec naming a backend may not also name a URL, and an unknown backend is named.
        var both = await Assert.ThrowsAsync<MimicryApiException>(() => operatorClient.SubmitAsync(
            OpenAiSpecs.Yaml("both", model.BaseUrl).Replace("  model: test-model-1", "  backend: fake\n  model: test-model-1", StringComparison.Ordinal), "both.yaml"));
        Assert.Contains("both.yaml: simulator.baseUrl: is set by the backend's operator; a spec that names a backend leaves it out", both.Errors);
        var missing = await Assert.ThrowsAsync<MimicryApiException>(() => operatorClient.SubmitAsync(spec.Replace("backend: fake", "backend: other", StringComparison.Ordinal), "missing.yaml"));
        Assert.Contains("missing.yaml: simulator.backend: 'other' is not a backend here (configured: fake)", missing.Errors);
    }
}
