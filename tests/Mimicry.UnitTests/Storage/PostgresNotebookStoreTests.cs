using Mimicry.Storage;
using Mimicry.Storage.Postgres;
using Npgsql;

using static Mimicry.UnitTests.Storage.StoreRecords;

namespace Mimicry.UnitTests.Storage;

/// <summary>What only a shared PostgreSQL server can show (the contracts are in StoreContracts.Postgres.cs).</summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgresNotebookStoreTests
{
    private readonly string _db = TestPostgres.CreateDatabase("store");

    private INotebookStore OpenFresh() => PostgresNotebookStore.OpenAsync(_db, migrate: true).GetAwaiter().GetResult();

    [Fact]
    public async Task CommittedRows_CannotBeChangedOrDeleted()
    {
        await using (var store = OpenFresh())
        {
            await store.AppendDayAsync(Day(0, 1, "kept"));
        }
        await using var c = new NpgsqlConnection(_db);
        await c.OpenAsync();
        foreach (var sql in new[] { "UPDATE mimicry_entries SET text = 'changed'", "DELETE FROM mimicry_entries", "UPDATE mimicry_days SET bits = 0", "DELETE FROM mimicry_days" })
        {
            var ex = await Assert.ThrowsAsync<PostgresException>(() => new NpgsqlCommand(sql, c).ExecuteNonQueryAsync());
            Assert.Contains("append-only", ex.MessageText, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task ABadWrite_FailsAlone_ItsBatchNeighboursCommit()
    {
        await using var store = OpenFresh();
        var now = DateTimeOffset.UtcNow;
        // Queued together so they share batches (statements and days in one round trip); a loop row without a spec
        // breaks a NOT NULL constraint, which aborts its whole transaction: the writer redoes the batch write by write.
        var good = Enumerable.Range(1, 200).Select(d => store.AppendDayAsync(Day(0, d, $"d{d}"))).ToList();
        var states = Enumerable.Range(0, 50).Select(b => store.SetBranchStateAsync(new BranchRecord("loop", b, Mimicry.Status.RunState.Completed, null))).ToList();
        var bad = store.CreateLoopAsync(new LoopRecord("broken", null!, "h", Mimicry.Status.RunState.Running, null, now, now));
        good.AddRange(Enumerable.Range(201, 200).Select(d => store.AppendDayAsync(Day(0, d, $"d{d}"))));

        var ex = await Assert.ThrowsAsync<PostgresException>(() => bad);
        Assert.Equal(PostgresErrorCodes.NotNullViolation, ex.SqlState);
        Assert.All(await Task.WhenAll(good), Assert.True);
        await Task.WhenAll(states);
        Assert.Equal(400, (await store.ReadDaysAsync("loop", 0)).Count);
        Assert.Equal(50, (await store.ListFinishedBranchesAsync("loop")).Count);
        Assert.Null(await store.GetLoopAsync("broken"));
    }

    [Fact]
    public async Task TwoStores_AppendingTheSameDays_WriteEachOnce()
    {
        // Two silos after a failover can both run a day; exactly one append may win, whichever it is.
        await using var a = OpenFresh();
        await using var b = await PostgresNotebookStore.OpenAsync(_db, migrate: false);
        var results = await Task.WhenAll(Enumerable.Range(1, 200).SelectMany(d => new[]
        {
            a.AppendDayAsync(Day(0, d, $"a{d}")), b.AppendDayAsync(Day(0, d, $"b{d}")),
        }));
        Assert.Equal(200, results.Count(r => r));
        var days = await a.ReadDaysAsync("loop", 0);
        Assert.Equal(Enumerable.Range(1, 200), days.Select(d => d.Day));
        Assert.All(days, d => Assert.Single(d.Entries));
        Assert.Equal(200, (await b.GetProgressAsync("loop", 1)).Entries);
    }

    [Fact]
    public async Task TheSameDayTwiceInOneBatch_IsWrittenOnce()
    {
        await using var store = OpenFresh();
        // Queued together, these land in one batch (one multi-row statement).
        var results = await Task.WhenAll(Enumerable.Range(0, 50).Select(i => store.AppendDayAsync(Day(i % 5, 1, $"copy {i}", "second entry"))));
        Assert.Equal(5, results.Count(r => r));
        for (var b = 0; b < 5; b++)
        {
            var day = Assert.Single(await store.ReadDaysAsync("loop", b));
            Assert.Equal(2, day.Entries.Count);
            Assert.Equal($"copy {b}", day.Entries[0].Text);
        }
    }

    [Fact]
    public async Task Migrate_IsIdempotent_AndANewerSchemaIsRefused()
    {
        await using var db = PostgresNotebookStore.CreateDataSource(_db);
        Assert.Equal((0, PostgresSchema.Version), await PostgresSchema.MigrateAsync(db));
        Assert.Equal((PostgresSchema.Version, PostgresSchema.Version), await PostgresSchema.MigrateAsync(db));
        await PostgresSchema.CheckAsync(db);

        await using (var c = await db.OpenConnectionAsync())
        {
            await new NpgsqlCommand($"INSERT INTO mimicry_schema(version, name) VALUES ({PostgresSchema.Version + 1}, 'future')", c).ExecuteNonQueryAsync();
        }
        var check = await Assert.ThrowsAsync<StoreException>(() => PostgresSchema.CheckAsync(db));
        Assert.Contains($"schema is version {PostgresSchema.Version + 1}, newer than this mimicry knows", check.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<StoreException>(() => PostgresSchema.MigrateAsync(db));
    }

    [Fact]
    public async Task AnEmptyDatabase_IsReportedAsNeedingMigration()
    {
        var ex = await Assert.ThrowsAsync<StoreException>(() => PostgresNotebookStore.OpenAsync(_db, migrate: false));
        Assert.Equal("the database has no Mimicry schema yet; run `mimicry db migrate` (or start a silo with Migrate on start enabled)", ex.Message);
    }

    [Fact]
    public async Task BadServerSettings_AreOneSentence()
    {
        var refused = new NpgsqlConnectionStringBuilder(_db) { Port = 1 }.ConnectionString;
        var ex = await Assert.ThrowsAsync<StoreException>(() => PostgresNotebookStore.OpenAsync(refused, migrate: true));
        Assert.Equal("cannot connect to PostgreSQL at 127.0.0.1:1: connection refused (is the server running, and on that port?)", ex.Message);

        var badUser = new NpgsqlConnectionStringBuilder(_db) { Username = "nobody", Password = "wrong" }.ConnectionString;
        ex = await Assert.ThrowsAsync<StoreException>(() => PostgresNotebookStore.OpenAsync(badUser, migrate: true));
        Assert.Matches("^PostgreSQL at 127.0.0.1:[0-9]+ refused the credentials of user 'nobody'$", ex.Message);

        var noDb = new NpgsqlConnectionStringBuilder(_db) { Database = "no_such_db" }.ConnectionString;
        ex = await Assert.ThrowsAsync<StoreException>(() => PostgresNotebookStore.OpenAsync(noDb, migrate: true));
        Assert.Matches("^PostgreSQL at 127.0.0.1:[0-9]+ has no database 'no_such_db'$", ex.Message);

        ex = await Assert.ThrowsAsync<StoreException>(() => PostgresNotebookStore.OpenAsync("Host=127.0.0.1;Bogus=1", migrate: true));
        Assert.StartsWith("the PostgreSQL connection string is malformed: ", ex.Message, StringComparison.Ordinal);
    }
}

/// <summary>Tests that restart the shared server must not run beside others that use it.</summary>
[CollectionDefinition(Name)]
public sealed class PostgresCollection
{
    public const string Name = "postgres";
}
