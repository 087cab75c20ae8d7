using Microsoft.Data.Sqlite;
using Mimicry.Storage;
using Mimicry.Storage.Sqlite;

using static Mimicry.UnitTests.Storage.StoreRecords;

namespace Mimicry.UnitTests.Storage;

/// <summary>What only a store on disk can show (the contracts are in StoreContracts.Sqlite.cs): reopening, append-only rows, schema versions.</summary>
public sealed class SqliteNotebookStoreTests : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "mimicry-store-" + Guid.NewGuid().ToString("N"));

    private INotebookStore OpenFresh() => SqliteNotebookStore.Open(_folder);

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        if (Directory.Exists(_folder))
        {
            Directory.Delete(_folder, recursive: true);
        }
    }

    [Theory]
    [InlineData(SqliteSync.Full)]
    [InlineData(SqliteSync.Normal)]
    public async Task AcknowledgedDays_AndProgress_SurviveReopen(SqliteSync sync)
    {
        LoopProgress before;
        await using (var store = SqliteNotebookStore.Open(_folder, sync))
        {
            await store.AppendDayAsync(Day(2, 1, "x", "y"));
            await store.AppendDayAsync(Day(2, 2, "z"));
            await store.AppendDayAsync(Day(4, 1, "w"));
            before = await store.GetProgressAsync("loop", 2);
        }
        await using var reopened = SqliteNotebookStore.Open(_folder);
        Assert.Equal(["x", "y", "z"], (await reopened.ReadDaysAsync("loop", 2)).SelectMany(d => d.Entries).Select(e => e.Text));
        Assert.Equal(before, await reopened.GetProgressAsync("loop", 2));
        Assert.Equal((3L, 4L), (before.DaysDone, before.Entries));
    }

    [Fact]
    public async Task ABadWrite_FailsAlone_ItsBatchNeighboursCommit()
    {
        await using var store = SqliteNotebookStore.Open(_folder);
        var now = DateTimeOffset.UtcNow;
        // Queued together so they share batches; a loop row without a spec breaks a NOT NULL constraint.
        var good = Enumerable.Range(1, 200).Select(d => store.AppendDayAsync(Day(0, d, $"d{d}"))).ToList();
        var bad = store.CreateLoopAsync(new LoopRecord("broken", null!, "h", Mimicry.Status.RunState.Running, null, now, now));
        good.AddRange(Enumerable.Range(201, 200).Select(d => store.AppendDayAsync(Day(0, d, $"d{d}"))));

        var ex = await Assert.ThrowsAsync<SqliteException>(() => bad);
        Assert.Contains("NOT NULL", ex.Message, StringComparison.Ordinal);
        Assert.All(await Task.WhenAll(good), Assert.True);
        Assert.Equal(400, (await store.ReadDaysAsync("loop", 0)).Count);
        Assert.Null(await store.GetLoopAsync("broken"));
    }

    [Fact]
    public async Task Entries_AreAppendOnly_EvenForDirectSql()
    {
        await using (var store = SqliteNotebookStore.Open(_folder))
        {
            await store.AppendDayAsync(Day(0, 1, "original"));
        }
        using var c = new SqliteConnection($"Data Source={Path.Combine(_folder, SqliteNotebookStore.FileName)}");
        c.Open();
        using var cmd = c.CreateCommand();
        cmd.CommandText = "UPDATE entries SET text = 'forged'";
        var ex = Assert.Throws<SqliteException>(() => cmd.ExecuteNonQuery());
        Assert.Contains("append-only", ex.Message, StringComparison.Ordinal);
        cmd.CommandText = "DELETE FROM days";
        Assert.Throws<SqliteException>(() => cmd.ExecuteNonQuery());
    }

    [Fact]
    public async Task Open_NewerSchema_FailsWithAPlainSentence()
    {
        await using (SqliteNotebookStore.Open(_folder))
        {
        }
        using (var c = new SqliteConnection($"Data Source={Path.Combine(_folder, SqliteNotebookStore.FileName)};Pooling=False"))
        {
            c.Open();
            using var cmd = c.CreateCommand();
            cmd.CommandText = "UPDATE schema_version SET version = 99";
            cmd.ExecuteNonQuery();
        }
        var ex = Assert.Throws<StoreException>(() => SqliteNotebookStore.Open(_folder));
        Assert.Contains("written by a newer mimicry (schema 99", ex.Message, StringComparison.Ordinal);
    }
}
