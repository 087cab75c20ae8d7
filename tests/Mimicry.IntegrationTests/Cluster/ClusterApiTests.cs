using System.Net;
using Mimicry.Client;

namespace Mimicry.IntegrationTests.Cluster;

/// <summary>The API through the .NET client on a two-silo cluster on PostgreSQL: any silo answers, roles hold, progress streams.</summary>
public sealed class ClusterApiTests
{
    [Fact]
    public async Task TheClient_SubmitsOnOneSilo_FollowsAndReadsOnAnother_AndRolesHoldAcrossSilos()
    {
        await using var cluster = new TestCluster(TestPostgres.CreateDatabase("clusterapi"));
        var first = await cluster.StartSiloAsync();
        var second = await cluster.StartSiloAsync();
        using var admin = new MimicryClient(first.ApiUrl, cluster.AdminToken!);
        await admin.AddUserAsync("otto", "operator");
        await admin.AddUserAsync("alice", "researcher");
        var otto = (await admin.CreateTokenAsync(new CreateTokenRequest("otto", "test", 1))).Token;
        var alice = (await admin.CreateTokenAsync(new CreateTokenRequest("alice"))).Token;

        using var viaFirst = new MimicryClient(first.ApiUrl, otto);
        using var viaSecond = new MimicryClient(second.ApiUrl, otto);
        await viaFirst.SubmitAsync(FailoverTests.SpecYaml("through-api", latency: "20ms", days: 6), "through-api.yaml");
        var seen = new List<LoopView>();
        await foreach (var view in viaSecond.FollowAsync("through-api", TimeSpan.FromMilliseconds(200)))
        {
            seen.Add(view);
        }
        Assert.Equal("completed", seen[^1].State);
        Assert.Equal(seen[^1].DaysPlanned, seen[^1].Days);
        var pages = new List<int>();
        await foreach (var day in viaSecond.ReadNotebookAsync("through-api", 1))
        {
            pages.Add(day.Day);
        }
        Assert.Equal(Enumerable.Range(1, 6), pages);

        using var researcher = new MimicryClient(second.ApiUrl, alice);
        Assert.Equal(HttpStatusCode.Forbidden, (await Assert.ThrowsAsync<MimicryApiException>(() => researcher.ListLoopsAsync())).Status);
        Assert.Equal(HttpStatusCode.Forbidden, (await Assert.ThrowsAsync<MimicryApiException>(() => viaSecond.ListUsersAsync())).Status);

        // Revoked on one silo, refused by the other at once: tokens are checked against the shared database on every request.
        var ottoTokens = await admin.ListTokensAsync("otto");
        await admin.RevokeTokenAsync(ottoTokens.Single().Id);
        Assert.Equal(HttpStatusCode.Unauthorized, (await Assert.ThrowsAsync<MimicryApiException>(() => viaSecond.ListLoopsAsync())).Status);
        var audit = await new MimicryClient(second.ApiUrl, cluster.AdminToken!).ListAuditAsync(20);
        Assert.Contains(audit, e => e is { User: "otto", Action: "loop.submit", Outcome: "ok" });
        Assert.Contains(audit, e => e is { User: "test-admin", Action: "token.revoke", Outcome: "ok" });
    }
}
