using Microsoft.Data.Sqlite;
using Mimicry.Status;
using Mimicry.Storage;
using Mimicry.Storage.Sqlite;

namespace Mimicry.UnitTests.Storage;

public sealed class SqliteNotebookStoreTests : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "mimicry-store-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }

    private static DayRecord Day(int branch, int day, params string[] texts) => new(
        "loop", branch, day, new DateTimeOffset(2026, 11, 1, 9, 0, 0, TimeSpan.Zero), "all", texts.Length, texts.Length, 0.5,
        texts.Select((t, i) => new EntryRecord(i, i, $"loop/{branch}/{day}/{i}", 42 + i, "synthetic", t, Mimicry.Text.ContentHash.Of(t))).ToArray());

    [Fact]
    public async Task AppendDay_IsIdempotentPerBranchAndDay()
    {
        await using var store = SqliteNotebookStore.Open(_folder);
        Assert.True(await store.AppendDayAsync(Day(0, 1, "first")));
        Assert.False(await store.AppendDayAsync(Day(0, 1, "a different retry")));
        var days = await store.ReadDaysAsync("loop", 0);
        var entry = Assert.Single(Assert.Single(days).Entries);
        Assert.Equal("first", entry.Text);
    }

    [Fact]
    public async Task AcknowledgedDays_SurviveReopen_WithProvenance()
    {
        await using (var store = SqliteNotebookStore.Open(_folder))
        {
            await store.AppendDayAsync(Day(2, 1, "x", "y"));
            await store.AppendDayAsync(Day(2, 2, "z"));
        }
        await using var reopened = SqliteNotebookStore.Open(_folder);
        var days = await reopened.ReadDaysAsync("loop", 2);
        Assert.Equal([1, 2], days.Select(d => d.Day));
        Assert.Equal(["x", "y"], days[0].Entries.Select(e => e.Text));
        var e = days[0].Entries[1];
        Assert.Equal(("loop/2/1/1", 43L, "synthetic", Mimicry.Text.ContentHash.Of("y")), (e.SessionId, e.Seed, e.Simulator, e.Hash));
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
    public async Task ManyConcurrentAppends_AllLand_InBatches()
    {
        await using var store = SqliteNotebookStore.Open(_folder);
        var tasks = Enumerable.Range(0, 500).SelectMany(b => Enumerable.Range(1, 4).Select(d => (b, d)))
            .Select(x => Task.Run(() => store.AppendDayAsync(Day(x.b, x.d, $"b{x.b}d{x.d}"))));
        var results = await Task.WhenAll(tasks);
        Assert.All(results, Assert.True);
        var p = await store.GetProgressAsync("loop", 500);
        Assert.Equal((2000L, 2000L, 500, 4, 4), (p.DaysDone, p.Entries, p.BranchesStarted, p.MinDaysDone, p.MaxDaysDone));
        Assert.Equal(1000.0, p.Bits, 9);
    }

    [Fact]
    public async Task Progress_CountsOnlyNewDays_AndIsTheSameAfterReopen()
    {
        LoopProgress before;
        await using (var store = SqliteNotebookStore.Open(_folder))
        {
            await store.AppendDayAsync(Day(0, 1, "a", "b"));
            await store.AppendDayAsync(Day(0, 2, "c"));
            await store.AppendDayAsync(Day(1, 1, "d"));
            await store.AppendDayAsync(Day(1, 1, "duplicate, ignored"));
            before = await store.GetProgressAsync("loop", 3);
            Assert.Equal((3L, 4L, 2, 0, 2), (before.DaysDone, before.Entries, before.BranchesStarted, before.MinDaysDone, before.MaxDaysDone));
            Assert.Equal(1.5, before.Bits, 9);
            Assert.Equal(1, (await store.GetProgressAsync("loop", 2)).MinDaysDone);
            Assert.Equal(LoopProgress.Empty, await store.GetProgressAsync("other", 2));
        }
        await using var reopened = SqliteNotebookStore.Open(_folder);
        Assert.Equal(before, await reopened.GetProgressAsync("loop", 3));
    }

    [Fact]
    public async Task Loops_CreateIsIdempotent_AndStateUpdates()
    {
        await using var store = SqliteNotebookStore.Open(_folder);
        var now = DateTimeOffset.UtcNow;
        await store.CreateLoopAsync(new LoopRecord("loop", "{}", "h1", RunState.Running, null, now, now));
        var again = await store.CreateLoopAsync(new LoopRecord("loop", "{\"x\":1}", "h2", RunState.Running, null, now, now));
        Assert.Equal("h1", again.SpecHash);
        await store.SetLoopStateAsync("loop", RunState.Stopped, "budget");
        var loop = await store.GetLoopAsync("loop");
        Assert.Equal((RunState.Stopped, "budget"), (loop!.State, loop.Reason));
        await store.SetBranchStateAsync(new BranchRecord("loop", 3, RunState.Completed, "done"));
        Assert.Equal(3, Assert.Single(await store.ListFinishedBranchesAsync("loop")).Branch);
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
