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
        await using var cluster = new TestCluster(TestPostgres.CreateDatabase("ratelimit"), extra: new Dictionary<string, string> { ["MIMICRY_TEST_KEY"] = "sk-cluster" });
        await cluster.StartSiloAsync();
        await cluster.StartSiloAsync();
        var spec = Path.Combine(Path.GetTempPath(), $"ratelimit-{Guid.NewGuid():N}.yaml");
        await File.WriteAllTextAsync(spec, OpenAiSpecs.Yaml("shared-quota", server.BaseUrl, branches: 60, days: 5, width: 1,
            extra: "  requestsPerMinute: 1200\n  maxConcurrency: 64"));
        var env = cluster.ClientEnvironment();
        env["MIMICRY_TEST_KEY"] = "sk-cluster"; // the client validates the spec: the variable must be set there too
        var submit = await CliProcess.RunAsync(TimeSpan.FromMinutes(1), env, "submit", spec);
        Assert.True(submit.ExitCode == 0, submit.Stderr);
        await cluster.WaitForStateAsync("shared-quota", "Completed", TimeSpan.FromMinutes(3));

        var requests = server.Requests.OrderBy(r => r.At).ToList();
        Assert.Equal(300, requests.Count);
        Assert.All(requests, r => Assert.Equal("Bearer sk-cluster", r.Authorization));
        // 1,200 a minute is 20 a second for the cluster: each of the two silos sends 10. Branches are placed at
        // random, so one silo may run out of work first (its share is not lent to the other): measure the first
        // half of the run, after the first second's bursts, while both silos have work.
        var start = requests[0].At + TimeSpan.FromSeconds(1);
        var window = requests.Where(r => r.At >= start).Take(requests.Count / 2).ToList();
        var rate = (window.Count - 1) / (window[^1].At - window[0].At).TotalSeconds;
        Assert.True(rate is >= 18 and <= 22, $"observed {rate:0.0} requests/s for a cluster-wide limit of 20");
        // And never above the limit by more than 10 % and the two silos' small burst allowances, in any five
        // seconds after the start (timers on a loaded 2-core machine wake in clumps, so shorter windows are noisy).
        for (var t = start; t + TimeSpan.FromSeconds(5) <= requests[^1].At; t += TimeSpan.FromSeconds(1))
        {
            var n = requests.Count(r => r.At >= t && r.At < t + TimeSpan.FromSeconds(5));
            Assert.True(n <= 5 * 22 + 4, $"{n} requests in the 5 s from {t.TotalSeconds:0} s");
        }
    }
}
