using System.Data.Common;
using Mimicry.Status;

namespace Mimicry.Storage.Relational;

/// <summary>
/// The notebook store over any relational database: one set of queries (with <see cref="SqlDialect"/> for the few
/// places the databases differ) and one <see cref="BatchWriter"/>. A database's store gives how to open a reading
/// connection, how to commit a batch (the day append is its own SQL), and where progress comes from.
/// </summary>
public abstract partial class RelationalNotebookStore : INotebookStore
{
    private readonly BatchWriter _writer;

    protected RelationalNotebookStore(SqlDialect dialect, IBatchCommitter committer, string writerName)
    {
        Dialect = dialect;
        _writer = new BatchWriter(committer, writerName);
        Loops = dialect.Table("loops");
        Branches = dialect.Table("branches");
        Days = dialect.Table("days");
        Entries = dialect.Table("entries");
        Probes = dialect.Table("probes");
        Reviews = dialect.Table("reviews");
    }

    protected SqlDialect Dialect { get; }

    private string Loops { get; }

    private string Branches { get; }

    protected string Days { get; }

    protected string Entries { get; }

    private string Probes { get; }

    private string Reviews { get; }

    public abstract string Location { get; }

    /// <summary>Runs <paramref name="read"/> on an open connection of its own (retried through outages where the database has them).</summary>
    protected abstract Task<T> ReadAsync<T>(Func<DbConnection, Task<T>> read);

    /// <summary>Called on the writer right after a new day commits, before any later batch.</summary>
    protected virtual void OnDayCommitted(DayRecord day)
    {
    }

    public abstract Task<LoopProgress> GetProgressAsync(string loop, int branches);

    public abstract Task<IReadOnlyDictionary<int, int>> GetDaysPerBranchAsync(string loop);

    /// <summary>Queues a statement; the task completes with the rows it changed, after its batch commits.</summary>
    protected Task<long> WriteAsync(string sql, params (string Name, object? Value)[] parameters) =>
        _writer.Enqueue(new StatementWrite(sql, parameters));

    public Task<LoopRecord?> GetLoopAsync(string loop) => ReadAsync(async c =>
    {
        await using var cmd = Command(c, $"SELECT loop, spec, spec_hash, state, reason, created, updated FROM {Loops} WHERE loop = @loop", ("loop", loop));
        return await DbCommands.FirstOrDefaultAsync(cmd, ReadLoop);
    });

    public Task<IReadOnlyList<LoopRecord>> ListLoopsAsync() => ReadAsync<IReadOnlyList<LoopRecord>>(async c =>
    {
        await using var cmd = Command(c, $"SELECT loop, spec, spec_hash, state, reason, created, updated FROM {Loops} ORDER BY created, loop");
        return await DbCommands.ListAsync(cmd, r => ReadLoop(r));
    });

    public async Task<LoopRecord> CreateLoopAsync(LoopRecord record)
    {
        await WriteAsync(
            $"INSERT INTO {Loops}(loop, spec, spec_hash, state, reason, created, updated) VALUES(@loop, @spec, @hash, @state, @reason, @created, @created) ON CONFLICT(loop) DO NOTHING",
            ("loop", record.Loop), ("spec", record.SpecJson), ("hash", record.SpecHash), ("state", record.State.ToString()), ("reason", record.Reason),
            ("created", Dialect.Time(record.Created)));
        return (await GetLoopAsync(record.Loop))!;
    }

    public Task SetLoopStateAsync(string loop, RunState state, string? reason) => WriteAsync(
        $"UPDATE {Loops} SET state = @state, reason = @reason, updated = @now WHERE loop = @loop",
        ("state", state.ToString()), ("reason", reason), ("now", Dialect.Time(DateTimeOffset.UtcNow)), ("loop", loop));

    public Task SetBranchStateAsync(BranchRecord record) => WriteAsync(
        $"""
        INSERT INTO {Branches}(loop, branch, state, reason, updated) VALUES(@loop, @branch, @state, @reason, @now)
        ON CONFLICT(loop, branch) DO UPDATE SET state = excluded.state, reason = excluded.reason, updated = excluded.updated
        WHERE excluded.state = 'Completed' AND {Branches}.state <> 'Completed'
        """,
        ("loop", record.Loop), ("branch", record.Branch), ("state", record.State.ToString()), ("reason", record.Reason), ("now", Dialect.Time(DateTimeOffset.UtcNow)));

    public Task<IReadOnlyList<BranchRecord>> ListFinishedBranchesAsync(string loop) => ReadAsync<IReadOnlyList<BranchRecord>>(async c =>
    {
        await using var cmd = Command(c, $"SELECT branch, state, reason FROM {Branches} WHERE loop = @loop ORDER BY branch", ("loop", loop));
        return await DbCommands.ListAsync(cmd, r => new BranchRecord(loop, r.GetInt32(0), Enum.Parse<RunState>(r.GetString(1)), r.IsDBNull(2) ? null : r.GetString(2)));
    });

    /// <summary>
    /// The day row and its entries go in together, and the entries only if the day row was new, so a repeated append
    /// (another activation, a retried batch) writes nothing and returns false.
    /// </summary>
    public async Task<bool> AppendDayAsync(DayRecord day)
    {
        var write = new DayWrite(day)
        {
            Committed = inserted =>
            {
                if (inserted == 1)
                {
                    OnDayCommitted(day);
                }
            },
        };
        return await _writer.Enqueue(write) == 1;
    }

    public Task<IReadOnlyList<DayRecord>> ReadDaysAsync(string loop, int branch) => ReadAsync<IReadOnlyList<DayRecord>>(async c =>
    {
        // One snapshot for both queries: a day committed in between is seen whole or not at all.
        await using var tx = await Dialect.BeginSnapshotAsync(c);
        var days = new List<(int Day, string Anchor, string Selection, int Candidates, int Sessions, double Bits, long In, long Out, double Cost, long Cached)>();
        await using (var cmd = Command(c, $"SELECT day, anchor, selection, candidates, sessions, bits, input_tokens, output_tokens, cost, cached_input_tokens FROM {Days} WHERE loop = @loop AND branch = @branch ORDER BY day", ("loop", loop), ("branch", branch)))
        {
            cmd.Transaction = tx;
            await using var r = await cmd.ExecuteReaderAsync();
            while (await r.ReadAsync())
            {
                days.Add((r.GetInt32(0), r.GetString(1), r.GetString(2), r.GetInt32(3), r.GetInt32(4), r.GetDouble(5), r.GetInt64(6), r.GetInt64(7), r.GetDouble(8), r.GetInt64(9)));
            }
        }
        var entries = new Dictionary<int, List<EntryRecord>>();
        if (days.Count > 0)
        {
            await using var cmd = Command(c, $"SELECT day, seq, slot, session, seed, simulator, text, hash, input_tokens, output_tokens, cached_input_tokens FROM {Entries} WHERE loop = @loop AND branch = @branch AND day <= @last ORDER BY day, seq",
                ("loop", loop), ("branch", branch), ("last", days[^1].Day));
            cmd.Transaction = tx;
            await using var r = await cmd.ExecuteReaderAsync();
            while (await r.ReadAsync())
            {
                var day = r.GetInt32(0);
                if (!entries.TryGetValue(day, out var list))
                {
                    entries[day] = list = [];
                }
                list.Add(new EntryRecord(r.GetInt32(1), r.GetInt32(2), r.GetString(3), r.GetInt64(4), r.GetString(5), r.GetString(6), r.GetString(7), r.GetInt32(8), r.GetInt32(9), r.GetInt32(10)));
            }
        }
        await tx.CommitAsync();
        return days.Select(d => new DayRecord(loop, branch, d.Day, StoreTime.Parse(d.Anchor), d.Selection, d.Candidates, d.Sessions, d.Bits,
            entries.TryGetValue(d.Day, out var list) ? list : [], d.In, d.Out, d.Cost, d.Cached)).ToList();
    });

    protected static DbCommand Command(DbConnection connection, string sql, params (string Name, object? Value)[] parameters) =>
        DbCommands.Create(connection, sql, parameters);

    private LoopRecord ReadLoop(DbDataReader r) => new(
        r.GetString(0), r.GetString(1), r.GetString(2), Enum.Parse<RunState>(r.GetString(3)),
        r.IsDBNull(4) ? null : r.GetString(4), Dialect.ReadTime(r, 5), Dialect.ReadTime(r, 6));

    /// <summary>Closes the store once the writer has committed everything queued.</summary>
    public async ValueTask DisposeAsync()
    {
        await _writer.DisposeAsync();
        await ReleaseAsync();
        GC.SuppressFinalize(this);
    }

    /// <summary>Releases what the database's store holds, after the writer has stopped.</summary>
    protected virtual ValueTask ReleaseAsync() => ValueTask.CompletedTask;
}
