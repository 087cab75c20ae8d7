using System.Data.Common;
using Mimicry.Status;
using Mimicry.Storage.Relational;
using Npgsql;

namespace Mimicry.Storage.Postgres;

/// <summary>
/// The cluster's notebook store, with the shared queries and writer (<see cref="RelationalNotebookStore"/>). Every
/// silo opens its own; they share the database, which is the only truth: appends are idempotent per (loop, branch,
/// day) across processes, and progress is read from the rows, not from totals kept in one process.
/// </summary>
public sealed class PostgresNotebookStore : RelationalNotebookStore
{
    private readonly NpgsqlDataSource _db;
    private readonly PostgresRetry _retry;

    private PostgresNotebookStore(NpgsqlDataSource db, PostgresRetry retry, string location)
        : base(PostgresDialect.Instance, new PostgresBatchCommitter(db, retry), "mimicry-postgres-writer")
    {
        _db = db;
        _retry = retry;
        Location = location;
    }

    public override string Location { get; }

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

    public override async Task<LoopProgress> GetProgressAsync(string loop, int branches) => (await TallyAsync(loop)).Snapshot(branches);

    /// <summary>The loop's watch asks this every period: days only, no count of entries.</summary>
    public override Task<IReadOnlyDictionary<int, int>> GetDaysPerBranchAsync(string loop) => ReadAsync<IReadOnlyDictionary<int, int>>(async c =>
    {
        await using var cmd = Command(c, "SELECT branch, count(*) FROM mimicry_days WHERE loop = @loop GROUP BY branch", ("loop", loop));
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
        await using var cmd = Command(c,
            """
            SELECT d.branch, d.days, d.sessions, d.bits, coalesce(e.entries, 0), d.input_tokens, d.output_tokens, d.cost, d.cached_input_tokens
            FROM (SELECT branch, count(*) AS days, sum(sessions) AS sessions, sum(bits) AS bits,
                         sum(input_tokens)::bigint AS input_tokens, sum(output_tokens)::bigint AS output_tokens, sum(cost) AS cost,
                         sum(cached_input_tokens)::bigint AS cached_input_tokens
                  FROM mimicry_days WHERE loop = @loop GROUP BY branch) d
            LEFT JOIN (SELECT branch, count(*) AS entries FROM mimicry_entries WHERE loop = @loop GROUP BY branch) e ON e.branch = d.branch
            """, ("loop", loop));
        await using var r = await cmd.ExecuteReaderAsync();
        while (await r.ReadAsync())
        {
            tally.Add(r.GetInt32(0), (int)r.GetInt64(1), r.GetInt64(2), r.GetInt64(4), r.GetDouble(3), r.GetInt64(5), r.GetInt64(6), r.GetDouble(7), r.GetInt64(8));
        }
        return tally;
    });

    protected override Task<T> ReadAsync<T>(Func<DbConnection, Task<T>> read) => _retry.RunAsync(async () =>
    {
        await using var c = await _db.OpenConnectionAsync();
        return await read(c);
    });

    protected override ValueTask ReleaseAsync() => _db.DisposeAsync();
}
