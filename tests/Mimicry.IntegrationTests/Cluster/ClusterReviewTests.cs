using System.Text.Json;
using Mimicry.IntegrationTests.Reviews;

namespace Mimicry.IntegrationTests.Cluster;

/// <summary>Review gates and forks on a cluster of silo processes: decisions through the gateway restart branches at once.</summary>
public sealed class ClusterReviewTests
{
    private static async Task<List<JsonElement>> PendingAsync(TestCluster cluster, int expected)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            var list = await cluster.CliAsync("review", "list", "--json");
            Assert.True(list.ExitCode == 0, list.Stderr);
            var pending = JsonDocument.Parse(list.Stdout).RootElement.EnumerateArray().Select(e => e.Clone()).ToList();
            if (pending.Count >= expected || DateTime.UtcNow > deadline)
            {
                Assert.Equal(expected, pending.Count);
                return pending;
            }
            await Task.Delay(200);
        }
    }

    private static Task<CliProcess.Result> AsAsync(TestCluster cluster, string token, params string[] args)
    {
        var env = cluster.ClientEnvironment();
        env["MIMICRY_TOKEN"] = token;
        return CliProcess.RunAsync(TimeSpan.FromSeconds(90), env, args);
    }

    [Fact]
    public async Task HeldDays_AreDecidedThroughTheApi_AndTheBranchesGoOn_AndAForkSharesThePrefix()
    {
        await using var cluster = new TestCluster(TestPostgres.CreateDatabase("review"));
        await cluster.StartSiloAsync();
        await cluster.StartSiloAsync();
        var spec = await ReviewSpecs.FileAsync(ReviewSpecs.Yaml("gated-cluster", branches: 2, days: 4, width: 2, review: "review: { everyDays: 2 }"));
        var submit = await cluster.CliAsync("submit", spec);
        Assert.True(submit.ExitCode == 0, submit.Stderr);

        var first = await PendingAsync(cluster, 2);
        Assert.Equal(["gated-cluster/0/2/1", "gated-cluster/1/2/1"], first.Select(r => r.GetProperty("id").GetString()).Order());
        var status = JsonDocument.Parse((await cluster.CliAsync("status", "--json")).Stdout).RootElement[0];
        Assert.Equal(("awaiting review", 2), (status.GetProperty("status").GetString(), status.GetProperty("awaitingReview").GetInt32()));

        // On a server a decision is recorded under the signed-in reviewer: --as is refused there.
        var asOther = await cluster.CliAsync("review", "approve", "gated-cluster/0/2/1", "--as", "alice");
        Assert.Equal((2, "mimicry: --as: on a server you act as the user your token belongs to; --as works only on a local data folder"), (asOther.ExitCode, asOther.Stderr.Trim()));
        using var admin = cluster.Client();
        await admin.AddUserAsync("alice", "reviewer");
        await admin.AddUserAsync("bob", "reviewer");
        var alice = (await admin.CreateTokenAsync(new Mimicry.Client.CreateTokenRequest("alice"))).Token;
        var bob = (await admin.CreateTokenAsync(new Mimicry.Client.CreateTokenRequest("bob"))).Token;
        var pick = await AsAsync(cluster, alice, "review", "approve", "gated-cluster/0/2/1", "--pick", "1");
        Assert.True(pick.ExitCode == 0, pick.Stderr);
        Assert.Contains("Branch 0 of loop 'gated-cluster' goes on at the server at", pick.Stderr, StringComparison.Ordinal);
        Assert.Equal(0, (await AsAsync(cluster, bob, "review", "reject", "gated-cluster/1/2/1")).ExitCode);
        var refused = await cluster.CliAsync("review", "approve", "gated-cluster/1/2/1");
        Assert.Equal(2, refused.ExitCode);
        Assert.Matches("^mimicry: review gated-cluster/1/2/1 was already rejected by bob at ", refused.Stderr.Trim());

        // No resume: the decisions restarted the branches. Branch 0 is held again at day 4, branch 1 at its re-rolled day 2.
        var second = await PendingAsync(cluster, 2);
        Assert.Equal(["gated-cluster/0/4/1", "gated-cluster/1/2/2"], second.Select(r => r.GetProperty("id").GetString()).Order());
        Assert.Equal(0, (await cluster.CliAsync("review", "approve", "gated-cluster/0/4/1")).ExitCode);
        Assert.Equal(0, (await cluster.CliAsync("review", "approve", "gated-cluster/1/2/2")).ExitCode);
        Assert.Equal("gated-cluster/1/4/1", (await PendingAsync(cluster, 1))[0].GetProperty("id").GetString());
        Assert.Equal(0, (await cluster.CliAsync("review", "approve", "gated-cluster/1/4/1")).ExitCode);
        await cluster.WaitForStateAsync("gated-cluster", "Completed", TimeSpan.FromSeconds(60));

        var nb = await cluster.CliAsync("notebook", "gated-cluster", "--format", "jsonl", "--branch", "0");
        var lines = nb.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement.Clone()).ToList();
        Assert.Equal(("alice", 1), (lines[1].GetProperty("review").GetProperty("decidedBy").GetString(), lines[1].GetProperty("review").GetProperty("picks")[0].GetInt32()));

        var fork = await cluster.CliAsync("fork", "gated-cluster", "--branch", "0", "--from-day", "2", "--set", "seed=3", "--set", "days=3");
        Assert.True(fork.ExitCode == 0, fork.Stderr);
        await cluster.WaitForStateAsync("gated-cluster-b0d2", "Completed", TimeSpan.FromSeconds(60));
        var forked = (await cluster.CliAsync("notebook", "gated-cluster-b0d2", "--format", "jsonl")).Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(3, forked.Length);
        Assert.Equal(lines.Take(2).Select(l => l.GetProperty("text").GetString()), forked.Take(2).Select(l => JsonDocument.Parse(l).RootElement.GetProperty("text").GetString()));
    }
}
