using Microsoft.Data.Sqlite;
using Mimicry.Grains;
using Mimicry.Hosting;
using Mimicry.Status;
using Mimicry.Storage.Sqlite;
using Orleans.TestingHost;

namespace Mimicry.IntegrationTests.Grains;

/// <summary>Two in-process silos over one real SQLite notebook store in a temporary folder.</summary>
public sealed class ClusterFixture : IAsyncLifetime
{
    public string Folder { get; } = Path.Combine(Path.GetTempPath(), "mimicry-cluster-" + Guid.NewGuid().ToString("N"));

    public SqliteNotebookStore Store { get; private set; } = null!;

    public InProcessTestCluster Cluster { get; private set; } = null!;

    public IClusterClient Client => Cluster.Client;

    public async Task InitializeAsync()
    {
        Store = SqliteNotebookStore.Open(Folder);
        var builder = new InProcessTestClusterBuilder(2);
        builder.ConfigureSilo((_, silo) => silo.AddMimicry(Store));
        Cluster = builder.Build();
        await Cluster.DeployAsync();
    }

    public async Task DisposeAsync()
    {
        await Cluster.DisposeAsync();
        await Store.DisposeAsync();
        SqliteConnection.ClearAllPools();
        Directory.Delete(Folder, recursive: true);
    }

    /// <summary>Polls the loop until it leaves Running; fails with the last status if it does not within the limit.</summary>
    public async Task<LoopStatus> WaitForEndAsync(string loop, TimeSpan? limit = null)
    {
        var grain = Client.GetGrain<ILoopGrain>(loop);
        var deadline = DateTime.UtcNow + (limit ?? TimeSpan.FromSeconds(60));
        while (true)
        {
            var status = await grain.GetStatus();
            if (status.State != RunState.Running)
            {
                return status;
            }
            Assert.True(DateTime.UtcNow < deadline, $"loop {loop} still running after {limit ?? TimeSpan.FromSeconds(60)}: {status}");
            await Task.Delay(50);
        }
    }
}

[CollectionDefinition(Name)]
public sealed class ClusterCollection : ICollectionFixture<ClusterFixture>
{
    public const string Name = "cluster";
}
