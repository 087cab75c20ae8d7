using System.Net;
using Microsoft.Extensions.Options;
using Mimicry.Hosting.Cluster;
using Mimicry.Storage.Postgres;
using Orleans.Configuration;

namespace Mimicry.IntegrationTests.Cluster;

/// <summary>The membership table's optimistic concurrency, as Orleans relies on it, against a real server.</summary>
public sealed class PostgresMembershipTableTests : IAsyncLifetime
{
    private readonly string _database = TestPostgres.CreateDatabase("members");
    private ClusterDatabase _db = null!;
    private PostgresMembershipTable _table = null!;

    public async Task InitializeAsync()
    {
        _db = new ClusterDatabase(PostgresNotebookStore.CreateDataSource(_database));
        await PostgresSchema.MigrateAsync(_db.DataSource);
        _table = Table("c1");
        await _table.InitializeMembershipTable(true);
    }

    public async Task DisposeAsync() => await _db.DisposeAsync();

    private PostgresMembershipTable Table(string clusterId) => new(_db, Options.Create(new ClusterOptions { ClusterId = clusterId, ServiceId = "s" }));

    private static MembershipEntry Entry(int port, SiloStatus status = SiloStatus.Joining) => new()
    {
        SiloAddress = SiloAddress.New(IPAddress.Loopback, port, 7),
        SiloName = $"silo-{port}",
        HostName = "host",
        Status = status,
        ProxyPort = port + 1000,
        StartTime = new DateTime(2026, 11, 29, 10, 0, 0, DateTimeKind.Utc),
        IAmAliveTime = new DateTime(2026, 11, 29, 10, 0, 1, DateTimeKind.Utc),
    };

    [Fact]
    public async Task InsertAndUpdate_SucceedOnlyWithTheVersionAndEtagLastRead()
    {
        var empty = await _table.ReadAll();
        Assert.Empty(empty.Members);
        Assert.True(await _table.InsertRow(Entry(100), empty.Version.Next()));
        // A second writer that read the same version loses, and must re-read.
        Assert.False(await _table.InsertRow(Entry(200), empty.Version.Next()));

        var read = await _table.ReadAll();
        var (entry, etag) = Assert.Single(read.Members);
        Assert.Equal(1, read.Version.Version);
        entry.Status = SiloStatus.Active;
        entry.AddSuspector(SiloAddress.New(IPAddress.Loopback, 300, 9), new DateTime(2026, 11, 29, 10, 0, 5, DateTimeKind.Utc));
        Assert.True(await _table.UpdateRow(entry, etag, read.Version.Next()));
        Assert.False(await _table.UpdateRow(entry, etag, read.Version.Next().Next())); // stale row etag and table etag

        var again = await _table.ReadRow(entry.SiloAddress);
        var (stored, _) = Assert.Single(again.Members);
        Assert.Equal(SiloStatus.Active, stored.Status);
        Assert.Equal(2, again.Version.Version);
        var suspect = Assert.Single(stored.SuspectTimes!);
        Assert.Equal(SiloAddress.New(IPAddress.Loopback, 300, 9), suspect.Item1);
        Assert.Equal(new DateTime(2026, 11, 29, 10, 0, 5, DateTimeKind.Utc), suspect.Item2);
        Assert.Equal(entry.StartTime, stored.StartTime);
    }

    [Fact]
    public async Task IAmAlive_NeverMovesBack_AndCleanupRemovesOnlyDeadRows()
    {
        var v = (await _table.ReadAll()).Version;
        Assert.True(await _table.InsertRow(Entry(100, SiloStatus.Active), v = v.Next()));
        v = (await _table.ReadAll()).Version;
        Assert.True(await _table.InsertRow(Entry(200, SiloStatus.Dead), v = v.Next()));
        v = (await _table.ReadAll()).Version;
        Assert.True(await _table.InsertRow(Entry(300, SiloStatus.Joining), v.Next())); // old, but not dead: stays

        var alive = Entry(100, SiloStatus.Active);
        alive.IAmAliveTime = new DateTime(2026, 11, 29, 11, 0, 0, DateTimeKind.Utc);
        await _table.UpdateIAmAlive(alive);
        var after = await _table.ReadAll();
        Assert.Equal(3, after.Version.Version); // heartbeats do not bump the version
        Assert.Equal(alive.IAmAliveTime, after.Members.Single(m => m.Item1.SiloAddress.Endpoint.Port == 100).Item1.IAmAliveTime);
        // A delayed heartbeat with an older time (a slow write arriving late) does not move it back.
        var late = Entry(100, SiloStatus.Active);
        late.IAmAliveTime = new DateTime(2026, 11, 29, 10, 30, 0, DateTimeKind.Utc);
        await _table.UpdateIAmAlive(late);
        Assert.Equal(alive.IAmAliveTime, (await _table.ReadAll()).Members.Single(m => m.Item1.SiloAddress.Endpoint.Port == 100).Item1.IAmAliveTime);

        await _table.CleanupDefunctSiloEntries(new DateTimeOffset(2026, 11, 29, 12, 0, 0, TimeSpan.Zero));
        Assert.Equal([100, 300], (await _table.ReadAll()).Members.Select(m => m.Item1.SiloAddress.Endpoint.Port).Order());

        // Clusters don't see each other's rows.
        var other = Table("c2");
        await other.InitializeMembershipTable(true);
        Assert.Empty((await other.ReadAll()).Members);
        await other.DeleteMembershipTableEntries("c2");
        Assert.Equal(2, (await _table.ReadAll()).Members.Count);
    }
}
