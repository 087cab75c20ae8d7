using Microsoft.Data.Sqlite;
using Mimicry.Grains;
using Mimicry.Hosting;
using Mimicry.Status;
using Mimicry.Storage.Sqlite;
using Orleans.TestingHost;

namespace Mimicry.IntegrationTests.Grains;

/// <summary>In-process silos running Mimicry over one real SQLite notebook store in a temporary folder.</summary>
public sealed class MimicryTestCluster : IAsyncDisposable
{
    private MimicryTestCluster(string folder, SqliteNotebookStore store, InProcessTestCluster cluster)
    {
        Folder = folder;
        Store = store;
        Cluster = cluster;
    }

    public string Folder { get; }

    public SqliteNotebookStore Store { get; }

    public InProcessTestCluster Cluster { get; }

    public IClusterClient Client => Cluster.Client;

    /// <param name="before">Runs before <c>AddMimicry</c> (to put in a clock of the test's own).</param>
    /// <param name="after">Runs after it (to replace parts, add filters, change options).</param>
    public static async Task<MimicryTestCluster> StartAsync(int silos, Action<ISiloBuilder>? before = null, Action<ISiloBuilder>? after = null)
    {
        var folder = Path.Combine(Path.GetTempPath(), "mimicry-cluster-" + Guid.NewGuid().ToString("N"));
        var store = SqliteNotebookStore.Open(folder);
        var builder = new InProcessTestClusterBuilder((short)silos);
        builder.ConfigureSilo((_, silo) =>
        {
            before?.Invoke(silo);
            silo.AddMimicry(store);
            // Like the embedded host: one local user, whose specs may name a model URL and key variable.
            Microsoft.Extensions.DependencyInjection.OptionsServiceCollectionExtensions.PostConfigure<Mimicry.Grains.Loops.LoopOptions>(silo.Services, o => o.InlineBackends = true);
            after?.Invoke(silo);
        });
        var cluster = builder.Build();
        await cluster.DeployAsync();
        return new MimicryTestCluster(folder, store, cluster);
    }

    public async ValueTask DisposeAsync()
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
        var max = limit ?? TimeSpan.FromSeconds(60);
        var deadline = DateTime.UtcNow + max;
        while (true)
        {
            var status = await grain.GetStatus();
            if (status.State != RunState.Running)
            {
                return status;
            }
            Assert.True(DateTime.UtcNow < deadline, $"loop {loop} still running after {max}: {status}");
            await Task.Delay(50);
        }
    }
}
