using Mimicry.Status;
using Mimicry.Storage.Sqlite;

namespace Mimicry.IntegrationTests.Grains;

/// <summary>Two in-process silos over one real SQLite notebook store, shared by the tests of one collection.</summary>
public sealed class ClusterFixture : IAsyncLifetime
{
    private MimicryTestCluster _cluster = null!;

    public SqliteNotebookStore Store => _cluster.Store;

    public IClusterClient Client => _cluster.Client;

    public async Task InitializeAsync() => _cluster = await MimicryTestCluster.StartAsync(silos: 2);

    public async Task DisposeAsync() => await _cluster.DisposeAsync();

    public Task<LoopStatus> WaitForEndAsync(string loop, TimeSpan? limit = null) => _cluster.WaitForEndAsync(loop, limit);
}

[CollectionDefinition(Name)]
public sealed class ClusterCollection : ICollectionFixture<ClusterFixture>
{
    public const string Name = "cluster";
}
