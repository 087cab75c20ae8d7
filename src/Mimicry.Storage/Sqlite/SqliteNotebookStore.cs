using System.Collections.Concurrent;
using System.Data.Common;
using Microsoft.Data.Sqlite;
using Mimicry.Status;
using Mimicry.Storage.Relational;

namespace Mimicry.Storage.Sqlite;

/// <summary>
/// The embedded store: one SQLite file under the data folder, with the shared queries and writer
/// (<see cref="RelationalNotebookStore"/>). One process owns the file, so progress is kept in memory beside it,
/// updated on the writer as each day commits.
/// </summary>
public sealed class SqliteNotebookStore : RelationalNotebookStore
{
    public const string FileName = "mimicry.db";

    private readonly string _connectionString;
    private readonly ConcurrentDictionary<string, LoopTally> _tallies;

    private SqliteNotebookStore(string folder, string connectionString, ConcurrentDictionary<string, LoopTally> tallies, SqliteSync sync)
        : base(SqliteDialect.Instance, new SqliteBatchCommitter(connectionString, sync), "mimicry-sqlite-writer")
    {
        Location = folder;
        _connectionString = connectionString;
        _tallies = tallies;
    }

    public override string Location { get; }

    /// <summary>The API's users, tokens and audit log, in the same file (migrated with it).</summary>
    public Access.IAccessStore Access => _access ??= new SqliteAccessStore(_connectionString);

    private SqliteAccessStore? _access;

    /// <summary>Opens (creating if needed) the store in <paramref name="folder"/>.</summary>
    public static SqliteNotebookStore Open(string folder, SqliteSync sync = SqliteSync.Full)
    {
        try
        {
            Directory.CreateDirectory(folder);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new StoreException($"cannot create the data folder {folder}: {ex.Message.TrimEnd('.')}", ex);
        }
        var cs = new SqliteConnectionStringBuilder
        {
            DataSource = Path.Combine(folder, FileName),
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = true,
            DefaultTimeout = 30,
        }.ToString();
        try
        {
            using var c = new SqliteConnection(cs);
            c.Open();
            SqliteSchema.Migrate(c, folder);
            // Before the writer starts, so the totals and the commits that follow line up exactly.
            return new SqliteNotebookStore(folder, cs, LoadTallies(c), sync);
        }
        catch (SqliteException ex)
        {
            throw new StoreException($"cannot open the notebook store in {folder}: {ex.Message}", ex);
        }
    }

    private static ConcurrentDictionary<string, LoopTally> LoadTallies(SqliteConnection c)
    {
        var tallies = new ConcurrentDictionary<string, LoopTally>(StringComparer.Ordinal);
        using var cmd = c.CreateCommand();
        cmd.CommandText = """
            SELECT d.loop, d.branch, count(*), sum(d.sessions), sum(d.bits),
                   (SELECT count(*) FROM entries e WHERE e.loop = d.loop AND e.branch = d.branch),
                   sum(d.input_tokens), sum(d.output_tokens), sum(d.cost), sum(d.cached_input_tokens)
            FROM days d GROUP BY d.loop, d.branch
            """;
        using var r = cmd.ExecuteReader();
        while (r.Read())
        {
            tallies.GetOrAdd(r.GetString(0), _ => new LoopTally()).Add(r.GetInt32(1), r.GetInt32(2), r.GetInt64(3), r.GetInt64(5), r.GetDouble(4), r.GetInt64(6), r.GetInt64(7), r.GetDouble(8), r.GetInt64(9));
        }
        return tallies;
    }

    /// <summary>True if <paramref name="folder"/> already holds a store (reading it then creates nothing new).</summary>
    public static bool Exists(string folder) => File.Exists(Path.Combine(folder, FileName));

    protected override void OnDayCommitted(DayRecord day) => _tallies.GetOrAdd(day.Loop, _ => new LoopTally()).Add(day);

    public override Task<LoopProgress> GetProgressAsync(string loop, int branches) =>
        Task.FromResult(_tallies.TryGetValue(loop, out var tally) ? tally.Snapshot(branches) : LoopProgress.Empty);

    public override Task<IReadOnlyDictionary<int, int>> GetDaysPerBranchAsync(string loop) =>
        Task.FromResult(_tallies.TryGetValue(loop, out var tally) ? tally.DaysPerBranch() : new Dictionary<int, int>());

    protected override Task<T> ReadAsync<T>(Func<DbConnection, Task<T>> read) => Task.Run(async () =>
    {
        await using var c = new SqliteConnection(_connectionString);
        c.Open();
        return await read(c);
    });
}
