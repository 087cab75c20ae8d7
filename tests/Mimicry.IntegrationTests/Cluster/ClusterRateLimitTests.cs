using Mimicry.IntegrationTests.Models;

namespace Mimicry.IntegrationTests.Cluster;

/// <summary>A backend's per-minute quota holds for the whole cluster, not per silo: each silo takes its share.</summary>
[Collection(TimingSensitive.Name)]
public sealed class ClusterRateLimitTests
{
    [Fact]
    public async Task TwoSilos_TogetherKeepToTheConfiguredRequestRate()
    {
        await using var server = await FakeOpenAiServer.StartAsync();
        // A cluster takes no model URL or key variable from a spec: the operator names the backend on the silos.
        await using var cluster = new TestCluster(TestPostgres.CreateDatabase("ratelimit"), extra: new Dictionary<string, string>
        {
            ["MIMICRY_TEST_KEY"] = "sk-cluster",
            ["Mimicry__Backends__fake__BaseUrl"] = server.BaseUrl,
            ["Mimicry__Backends__fake__ApiKeyVariable"] = "MIMICRY_TEST_KEY",
            ["Mimicry__Backends__fake__RequestsPerMinute"] = "1200",
            ["Mimicry__Backends__fake__MaxConcurrency"] = "64",
            ["Mimicry__Backends__fake__InputPricePerMillion"] = "2.5",
            ["Mimicry__Backends__fake__OutputPricePerMillion"] = "10",
        });
        await cluster.StartSiloAsync();
        await cluster.StartSiloAsync();
        var spec = Path.Combine(Path.GetTempPath(), $"ratelimit-{Guid.NewGuid():N}.yaml");
        await File.WriteAllTextAsync(spec, OpenAiSpecs.Yaml("shared-quota", server.BaseUrl, branches: 60, days: 5, width: 1)
            .Replace($"baseUrl: {server.BaseUrl}", "backend: fake", StringComparison.Ordinal)
            .Replace("  apiKeyVariable: MIMICRY_TEST_KEY\n", "", StringComparison.Ordinal)
            .Replace("  prices:\n    input: 2.5\n    output: 10\n", "", StringComparison.Ordinal));
        // A spec that names a URL and one of the silo's variables (here its database connection string) is refused
        // before anything is stored, and no request leaves for that URL.
        var exfiltrate = Path.Combine(Path.GetTempPath(), $"exfiltrate-{Guid.NewGuid():N}.yaml");
        await File.WriteAllTextAsync(exfiltrate, OpenAiSpecs.Yaml("exfiltrate", server.BaseUrl, keyVariable: "Mimicry__Cluster__Database"));
        var refused = await cluster.CliAsync("submit", exfiltrate);
        Assert.Equal(2, refused.ExitCode);
        Assert.Contains("simulator.baseUrl: this server takes no model URLs or key variables in specs", refused.Stderr, StringComparison.Ordinal);
        Assert.Contains("simulator.apiKeyVariable: this server reads no environment variables named by specs", refused.Stderr, StringComparison.Ordinal);
        Assert.Null(await cluster.LoopStateAsync("exfiltrate"));
        Assert.Empty(server.Requests);

        var submit = await cluster.CliAsync("submit", spec);
        Assert.True(submit.ExitCode == 0, submit.Stderr);
        await cluster.WaitForStateAsync("shared-quota", "Completed", TimeSpan.FromMinutes(3));

        var requests = server.Requests.OrderBy(r => r.At).ToList();
        // Every one of the 300 sessions asked, and asked as itself (each session's seed is its own). A request the
        // loaded machine made wait past its 2 s timeout is sent again (302 arrivals seen in CI, 2026-12-01): a retry
        // of the same session, and it counts against the quota like any request.
        Assert.Equal(300, requests.Select(r => r.Seed).Distinct().Count());
        Assert.InRange(requests.Count, 300, 330);
        Assert.All(requests, r => Assert.Equal("Bearer sk-cluster", r.Authorization));
        // 1,200 a minute is 20 a second for the cluster: each of the two silos sends 10. Branches are placed at
        // random, so one silo may run out of work first (its share is not lent to the other): measure the first
        // half of the run, after the first second's bursts, while both silos have work.
        var start = requests[0].At + TimeSpan.FromSeconds(1);
        var window = requests.Where(r => r.At >= start).Take(requests.Count / 2).ToList();
        // The rate is the median rate over all pairs of requests at least 2 s apart (see Rates.PerSecond), not
        // (n - 1) / (last - first) nor a least-squares slope: a stall on the loaded machine delivers admitted requests
        // in a clump, which moved the endpoint estimate by 15 % (23.1/s, CI 2026-11-30) and the slope by 12 % (22.4/s,
        // CI 2026-11-30: 7, 9, then 37 requests in the seconds after the start, 20 in every second after that).
        var rate = Rates.PerSecond(window.Select(r => r.At).ToList());
        var perSecond = string.Join(' ', requests.GroupBy(r => (int)(r.At - requests[0].At).TotalSeconds).Select(g => $"{g.Key}s:{g.Count()}"));
        Assert.True(rate is >= 18 and <= 22, $"observed {rate:0.0} requests/s for a cluster-wide limit of 20 ({perSecond}); silo logs:\n{cluster.Logs()}");
        // And never above the limit by more than 10 % and the two silos' small burst allowances, in any ten
        // seconds after the start. Arrival times are taken at the model server: on a loaded 2-core machine (two
        // silos, each also serving the HTTP API) a stall of under a second delivers admitted requests in a clump,
        // which a 5 s window saw as 119 (CI, 2026-11-30) while the silos kept to their shares; a silo taking twice
        // its share would still show about 100 too many here.
        for (var t = start; t + TimeSpan.FromSeconds(10) <= requests[^1].At; t += TimeSpan.FromSeconds(1))
        {
            var n = requests.Count(r => r.At >= t && r.At < t + TimeSpan.FromSeconds(10));
            Assert.True(n <= 10 * 22 + 4, $"{n} requests in the 10 s from {t.TotalSeconds:0} s");
        }
    }
}
