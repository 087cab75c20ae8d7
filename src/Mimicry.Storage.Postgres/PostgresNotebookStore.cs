using Mimicry.Status;
using Npgsql;

namespace Mimicry.Storage.Postgres;

/// <summary>
/// The cluster's notebook store. Every silo opens its own; they share the database, which is the only truth:
/// appends are idempotent per (loop, branch, day) across processes, and progress is read from the rows, not
/// from totals kept in one process.
/// </summary>
public sealed partial class PostgresNotebookStore : INotebookStore
{
    private readonly NpgsqlDataSource _db;
    private readonly PostgresRetry _retry;
    private readonly PostgresBatchWriter _writer;

    private PostgresNotebookStore(NpgsqlDataSource db, PostgresRetry retry, string location)
    {
        _db = db;
        _retry = retry;
        Location = location;
        _writer = new PostgresBatchWriter(db, retry);
    }

    public string Location { get; }

    /// <summary>The API's users, tokens and audit log, in the same database.</summary>
    public Access.IAccessStore Access => _access ??= new PostgresAccessStore(_db, _retry);

    private PostgresAccessStore? _access;

    /// <summary>
    /// Connects, and migrates the schema if <paramref name="migrate"/> (else checks that it is the one this binary
    /// needs). Throws a <see cref="StoreException"/> with one plain sentence if the server is unreachable, refuses
    /// the credentials, or holds another schema version.
    /// </summary>
    public static async Task<PostgresNotebookStore> OpenAsync(string connectionString, bool migrate, TimeSpan? retryWindow = null, CancellationToken cancellationToken = default)
    {
        var db = CreateDataSource(connectionString);
        try
        {
            await ConnectAsync(db, connectionString, migrate, cancellationToken);
        }
        catch
        {
            await db.DisposeAsync();
            throw;
        }
        var b = new NpgsqlConnectionStringBuilder(connectionString);
        return new PostgresNotebookStore(db, new PostgresRetry(retryWindow ?? TimeSpan.FromSeconds(60), connectionString), $"postgresql://{b.Host}:{b.Port}/{b.Database}");
    }

    /// <summary>Connections per pool unless the connection string says otherwise (Npgsql's own default, 100, lets a few silos exhaust a server).</summary>
    public const int DefaultMaxPoolSize = 20;

    /// <summary>
    /// A data source with Mimicry's defaults: a short connect timeout, so a wrong address fails fast, and at most
    /// <see cref="DefaultMaxPoolSize"/> connections, so silos restarting together cannot use up the server's
    /// <c>max_connections</c> (waiting for a pooled connection is retried like any passing outage).
    /// </summary>
    public static NpgsqlDataSource CreateDataSource(string connectionString)
    {
        var b = PostgresErrors.Parse(connectionString);
        // Which settings the string itself gives (Npgsql's own builder says yes to every keyword it knows).
        var given = new System.Data.Common.DbConnectionStringBuilder { ConnectionString = connectionString };
        if (!given.ContainsKey("Timeout"))
        {
            b.Timeout = 5;
        }
        if (!given.ContainsKey("Maximum Pool Size") && !given.ContainsKey("Max Pool Size") && !given.ContainsKey("MaxPoolSize"))
        {
            b.MaxPoolSize = DefaultMaxPoolSize;
        }
        b.ApplicationName ??= "mimicry";
        return NpgsqlDataSource.Create(b.ConnectionString);
    }

    /// <summary>Checks the server answers, then migrates or checks the schema. Errors become one sentence.</summary>
    public static async Task ConnectAsync(NpgsqlDataSource db, string connectionString, bool migrate, CancellationToken cancellationToken = default)
    {
        try
        {
            if (migrate)
            {
                await PostgresSchema.MigrateAsync(db, cancellationToken);
            }
            else
            {
                await PostgresSchema.CheckAsync(db, cancellationToken);
            }
        }
        catch (Exception ex) when (ex is NpgsqlException or System.Net.Sockets.SocketException or TimeoutException)
        {
            throw new StoreException(PostgresErrors.Describe(ex, connectionString), ex);
        }
    }

    public Task<LoopRecord?> GetLoopAsync(string loop) => ReadAsync(async c =>
    {
        await using var cmd = new NpgsqlCommand("SELECT loop, spec, spec_hash, state, reason, created, updated FROM mimicry_loops WHERE loop = $1", c);
        cmd.Parameters.AddWithValue(loop);
        await using var r = await cmd.ExecuteReaderAsync();
        return await r.ReadAsync() ? ReadLoop(r) : null;
    });

    public Task<IReadOnlyList<LoopRecord>> ListLoopsAsync() => ReadAsync<IReadOnlyList<LoopRecord>>(async c =>
    {
        await using var cmd = new NpgsqlCommand("SELECT loop, spec, spec_hash, state, reason, created, updated FROM mimicry_loops ORDER BY created, loop", c);
        await using var r = await cmd.ExecuteReaderAsync();
        var list = new List<LoopRecord>();
        while (await r.ReadAsync())
        {
            list.Add(ReadLoop(r));
        }
        return list;
    });

    public async Task<LoopRecord> CreateLoopAsync(LoopRecord record)
    {
        await _writer.Enqueue(
            """
            WITH i AS (INSERT INTO mimicry_loops(loop, spec, spec_hash, state, reason, created, updated)
                       VALUES ($1, $2, $3, $4, $5, $6, $6) ON CONFLICT (loop) DO NOTHING RETURNING 1)
            SELECT count(*) FROM i
            """,
            record.Loop, record.SpecJson, record.SpecHash, record.State.ToString(), (object?)record.Reason ?? DBNull.Value, record.Created.ToUniversalTime());
        return (await GetLoopAsync(record.Loop))!;
    }

    public Task SetLoopStateAsync(string loop, RunState state, string? reason) => _writer.Enqueue(
        "WITH u AS (UPDATE mimicry_loops SET state = $2, reason = $3, updated = now() WHERE loop = $1 RETURNING 1) SELECT count(*) FROM u",
        loop, state.ToString(), (object?)reason ?? DBNull.Value);

    public Task SetBranchStateAsync(BranchRecord record) => _writer.Enqueue(
        """
        WITH u AS (INSERT INTO mimicry_branches(loop, branch, state, reason, updated) VALUES ($1, $2, $3, $4, now())
                   ON CONFLICT (loop, branch) DO UPDATE SET state = excluded.state, reason = excluded.reason, updated = excluded.updated
                   WHERE excluded.state = 'Completed' AND mimicry_branches.state <> 'Completed'
                   RETURNING 1)
        SELECT count(*) FROM u
        """,
        record.Loop, record.Branch, record.State.ToString(), (object?)record.Reason ?? DBNull.Value);

    public Task<IReadOnlyList<BranchRecord>> ListFinishedBranchesAsync(string loop) => ReadAsync<IReadOnlyList<BranchRecord>>(async c =>
    {
        await using var cmd = new NpgsqlCommand("SELECT branch, state, reason FROM mimicry_branches WHERE loop = $1 ORDER BY branch", c);
        cmd.Parameters.AddWithValue(loop);
        await using var r = await cmd.ExecuteReaderAsync();
        var list = new List<BranchRecord>();
        while (await r.ReadAsync())
        {
            list.Add(new BranchRecord(loop, r.GetInt32(0), Enum.Parse<RunState>(r.GetString(1)), r.IsDBNull(2) ? null : r.GetString(2)));
        }
        return list;
    });

    /// <summary>
    /// The day row and its entries go in together, and the entries only if the day row was new, so a repeated
    /// append (another activation, a retried batch) writes nothing and returns false.
    /// </summary>
    public async Task<bool> AppendDayAsync(DayRecord day) => await _writer.EnqueueDay(day) == 1;

    public Task<IReadOnlyList<DayRecord>> ReadDaysAsync(string loop, int branch) => ReadAsync<IReadOnlyList<DayRecord>>(async c =>
    {
        // One snapshot for both queries, so a day committed in between is seen whole or not at all.
        await using var tx = await c.BeginTransactionAsync(System.Data.IsolationLevel.RepeatableRead);
        var entries = new Dictionary<int, List<EntryRecord>>();
        await using (var cmd = new NpgsqlCommand("SELECT day, seq, slot, session, seed, simulator, text, hash, input_tokens, output_tokens, cached_input_tokens FROM mimicry_entries WHERE loop = $1 AND branch = $2 ORDER BY day, seq", c, tx))
        {
            cmd.Parameters.AddWithValue(loop);
            cmd.Parameters.AddWithValue(branch);
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
        await using (var cmd = new NpgsqlCommand("SELECT day, anchor, selection, candidates, sessions, bits, input_tokens, output_tokens, cost, cached_input_tokens FROM mimicry_days WHERE loop = $1 AND branch = $2 ORDER BY day", c, tx))
        {
            cmd.Parameters.AddWithValue(loop);
            cmd.Parameters.AddWithValue(branch);
            await using var r = await cmd.ExecuteReaderAsync();
            var days = new List<DayRecord>();
            while (await r.ReadAsync())
            {
                var day = r.GetInt32(0);
                days.Add(new DayRecord(loop, branch, day, StoreTime.Parse(r.GetString(1)), r.GetString(2), r.GetInt32(3), r.GetInt32(4), r.GetDouble(5),
                    entries.TryGetValue(day, out var list) ? list : [], r.GetInt64(6), r.GetInt64(7), r.GetDouble(8), r.GetInt64(9)));
            }
            return days;
        }
    });

    public async Task<LoopProgress> GetProgressAsync(string loop, int branches) => (await TallyAsync(loop)).Snapshot(branches);

    /// <summary>The loop's watch asks this every period: days only, no count of entries.</summary>
    public Task<IReadOnlyDictionary<int, int>> GetDaysPerBranchAsync(string loop) => ReadAsync<IReadOnlyDictionary<int, int>>(async c =>
    {
        await using var cmd = new NpgsqlCommand("SELECT branch, count(*) FROM mimicry_days WHERE loop = $1 GROUP BY branch", c);
        cmd.Parameters.AddWithValue(loop);
        await using var r = await cmd.ExecuteReaderAsync();
        var days = new Dictionary<int, int>();
        while (await r.ReadAsync())
        {
            days[r.GetInt32(0)] = (int)r.GetInt64(1);
        }
        return days;
    });

    /// <summary>Totals from the rows themselves: with several silos writing, no one process has them all.</summary>
    private Task<LoopTally> TallyAsync(string loop) => ReadAsync(async c =>
    {
        var tally = new LoopTally();
        await using var cmd = new NpgsqlCommand(
            """
            SELECT d.branch, d.days, d.sessions, d.bits, coalesce(e.entries, 0), d.input_tokens, d.output_tokens, d.cost, d.cached_input_tokens
            FROM (SELECT branch, count(*) AS days, sum(sessions) AS sessions, sum(bits) AS bits,
                         sum(input_tokens)::bigint AS input_tokens, sum(output_tokens)::bigint AS output_tokens, sum(cost) AS cost,
                         sum(cached_input_tokens)::bigint AS cached_input_tokens
                  FROM mimicry_days WHERE loop = $1 GROUP BY branch) d
            LEFT JOIN (SELECT branch, count(*) AS entries FROM mimicry_entries WHERE loop = $1 GROUP BY branch) e ON e.branch = d.branch
            """, c);
        cmd.Parameters.AddWithValue(loop);
        await using var r = await cmd.ExecuteReaderAsync();
        while (await r.ReadAsync())
        {
            tally.Add(r.GetInt32(0), (int)r.GetInt64(1), r.GetInt64(2), r.GetInt64(4), r.GetDouble(3), r.GetInt64(5), r.GetInt64(6), r.GetDouble(7), r.GetInt64(8));
        }
        return tally;
    });

    private Task<T> ReadAsync<T>(Func<NpgsqlConnection, Task<T>> read) => _retry.RunAsync(async () =>
    {
        await using var c = await _db.OpenConnectionAsync();
        return await read(c);
    });

    private static LoopRecord ReadLoop(NpgsqlDataReader r) => new(
        r.GetString(0), r.GetString(1), r.GetString(2), Enum.Parse<RunState>(r.GetString(3)),
        r.IsDBNull(4) ? null : r.GetString(4), r.GetFieldValue<DateTimeOffset>(5), r.GetFieldValue<DateTimeOffset>(6));

    public async ValueTask DisposeAsync()
    {
        await _writer.DisposeAsync();
        await _db.DisposeAsync();
    }
}
