using System.Collections.Concurrent;
using Microsoft.Data.Sqlite;
using Mimicry.Status;

namespace Mimicry.Storage.Sqlite;

/// <summary>The embedded store: one SQLite file under the data folder, written by a single batching writer.</summary>
public sealed partial class SqliteNotebookStore : INotebookStore
{
    public const string FileName = "mimicry.db";

    private readonly string _connectionString;
    private readonly SqliteBatchWriter _writer;
    private readonly ConcurrentDictionary<string, LoopTally> _tallies;

    private SqliteNotebookStore(string folder, string connectionString, ConcurrentDictionary<string, LoopTally> tallies, SqliteSync sync)
    {
        Location = folder;
        _connectionString = connectionString;
        _tallies = tallies;
        _writer = new SqliteBatchWriter(connectionString, sync);
    }

    public string Location { get; }

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

    public Task<LoopRecord?> GetLoopAsync(string loop) => ReadAsync(c =>
    {
        using var cmd = c.CreateCommand();
        cmd.CommandText = "SELECT loop, spec, spec_hash, state, reason, created, updated FROM loops WHERE loop = $loop";
        cmd.Parameters.AddWithValue("$loop", loop);
        using var r = cmd.ExecuteReader();
        return r.Read() ? ReadLoop(r) : null;
    });

    public Task<IReadOnlyList<LoopRecord>> ListLoopsAsync() => ReadAsync<IReadOnlyList<LoopRecord>>(c =>
    {
        using var cmd = c.CreateCommand();
        cmd.CommandText = "SELECT loop, spec, spec_hash, state, reason, created, updated FROM loops ORDER BY created, loop";
        using var r = cmd.ExecuteReader();
        var list = new List<LoopRecord>();
        while (r.Read())
        {
            list.Add(ReadLoop(r));
        }
        return list;
    });

    public async Task<LoopRecord> CreateLoopAsync(LoopRecord record)
    {
        await _writer.Enqueue(cache =>
        {
            var cmd = cache.Get(
                "INSERT INTO loops(loop, spec, spec_hash, state, reason, created, updated) VALUES($loop, $spec, $hash, $state, $reason, $created, $created) ON CONFLICT(loop) DO NOTHING",
                "$loop", "$spec", "$hash", "$state", "$reason", "$created");
            cmd.Parameters["$loop"].Value = record.Loop;
            cmd.Parameters["$spec"].Value = record.SpecJson;
            cmd.Parameters["$hash"].Value = record.SpecHash;
            cmd.Parameters["$state"].Value = record.State.ToString();
            cmd.Parameters["$reason"].Value = (object?)record.Reason ?? DBNull.Value;
            cmd.Parameters["$created"].Value = Iso(record.Created);
            return cmd.ExecuteNonQuery();
        });
        return (await GetLoopAsync(record.Loop))!;
    }

    public Task SetLoopStateAsync(string loop, RunState state, string? reason) => _writer.Enqueue(cache =>
    {
        var cmd = cache.Get("UPDATE loops SET state = $state, reason = $reason, updated = $now WHERE loop = $loop", "$state", "$reason", "$now", "$loop");
        cmd.Parameters["$state"].Value = state.ToString();
        cmd.Parameters["$reason"].Value = (object?)reason ?? DBNull.Value;
        cmd.Parameters["$now"].Value = Iso(DateTimeOffset.UtcNow);
        cmd.Parameters["$loop"].Value = loop;
        return cmd.ExecuteNonQuery();
    });

    public Task SetBranchStateAsync(BranchRecord record) => _writer.Enqueue(cache =>
    {
        var cmd = cache.Get(
            "INSERT INTO branches(loop, branch, state, reason, updated) VALUES($loop, $branch, $state, $reason, $now) ON CONFLICT(loop, branch) DO UPDATE SET state = excluded.state, reason = excluded.reason, updated = excluded.updated WHERE excluded.state = 'Completed' AND branches.state <> 'Completed'",
            "$loop", "$branch", "$state", "$reason", "$now");
        cmd.Parameters["$loop"].Value = record.Loop;
        cmd.Parameters["$branch"].Value = record.Branch;
        cmd.Parameters["$state"].Value = record.State.ToString();
        cmd.Parameters["$reason"].Value = (object?)record.Reason ?? DBNull.Value;
        cmd.Parameters["$now"].Value = Iso(DateTimeOffset.UtcNow);
        return cmd.ExecuteNonQuery();
    });

    public Task<IReadOnlyList<BranchRecord>> ListFinishedBranchesAsync(string loop) => ReadAsync<IReadOnlyList<BranchRecord>>(c =>
    {
        using var cmd = c.CreateCommand();
        cmd.CommandText = "SELECT branch, state, reason FROM branches WHERE loop = $loop ORDER BY branch";
        cmd.Parameters.AddWithValue("$loop", loop);
        using var r = cmd.ExecuteReader();
        var list = new List<BranchRecord>();
        while (r.Read())
        {
            list.Add(new BranchRecord(loop, r.GetInt32(0), Enum.Parse<RunState>(r.GetString(1)), r.IsDBNull(2) ? null : r.GetString(2)));
        }
        return list;
    });

    public Task<bool> AppendDayAsync(DayRecord day) => _writer.Enqueue(cache =>
    {
        var d = cache.Get(
            "INSERT INTO days(loop, branch, day, anchor, selection, candidates, sessions, bits, committed, input_tokens, output_tokens, cost, cached_input_tokens) VALUES($loop, $branch, $day, $anchor, $selection, $candidates, $sessions, $bits, $committed, $in, $out, $cost, $cached) ON CONFLICT DO NOTHING",
            "$loop", "$branch", "$day", "$anchor", "$selection", "$candidates", "$sessions", "$bits", "$committed", "$in", "$out", "$cost", "$cached");
        d.Parameters["$loop"].Value = day.Loop;
        d.Parameters["$branch"].Value = day.Branch;
        d.Parameters["$day"].Value = day.Day;
        d.Parameters["$anchor"].Value = Iso(day.Anchor);
        d.Parameters["$selection"].Value = day.Selection;
        d.Parameters["$candidates"].Value = day.Candidates;
        d.Parameters["$sessions"].Value = day.Sessions;
        d.Parameters["$bits"].Value = day.Bits;
        d.Parameters["$committed"].Value = Iso(DateTimeOffset.UtcNow);
        d.Parameters["$in"].Value = day.InputTokens;
        d.Parameters["$out"].Value = day.OutputTokens;
        d.Parameters["$cost"].Value = day.Cost;
        d.Parameters["$cached"].Value = day.CachedInputTokens;
        if (d.ExecuteNonQuery() == 0)
        {
            return false;
        }
        var e = cache.Get(
            "INSERT INTO entries(loop, branch, day, seq, slot, session, seed, simulator, text, hash, input_tokens, output_tokens, cached_input_tokens) VALUES($loop, $branch, $day, $seq, $slot, $session, $seed, $simulator, $text, $hash, $in, $out, $cached)",
            "$loop", "$branch", "$day", "$seq", "$slot", "$session", "$seed", "$simulator", "$text", "$hash", "$in", "$out", "$cached");
        foreach (var entry in day.Entries)
        {
            e.Parameters["$loop"].Value = day.Loop;
            e.Parameters["$branch"].Value = day.Branch;
            e.Parameters["$day"].Value = day.Day;
            e.Parameters["$seq"].Value = entry.Seq;
            e.Parameters["$slot"].Value = entry.Slot;
            e.Parameters["$session"].Value = entry.SessionId;
            e.Parameters["$seed"].Value = entry.Seed;
            e.Parameters["$simulator"].Value = entry.Simulator;
            e.Parameters["$text"].Value = entry.Text;
            e.Parameters["$hash"].Value = entry.Hash;
            e.Parameters["$in"].Value = entry.InputTokens;
            e.Parameters["$out"].Value = entry.OutputTokens;
            e.Parameters["$cached"].Value = entry.CachedInputTokens;
            e.ExecuteNonQuery();
        }
        return true;
    }, inserted =>
    {
        if (inserted)
        {
            _tallies.GetOrAdd(day.Loop, _ => new LoopTally()).Add(day);
        }
    });

    public Task<IReadOnlyList<DayRecord>> ReadDaysAsync(string loop, int branch) => ReadAsync<IReadOnlyList<DayRecord>>(c =>
    {
        // Days first, then entries: a day and its entries are committed in one transaction, so every day the first
        // read sees has all its entries by the second; entries of days committed in between are left out. (A day
        // read after its entries could come without them.)
        var days = new List<(int Day, string Anchor, string Selection, int Candidates, int Sessions, double Bits, long In, long Out, double Cost, long Cached)>();
        using (var cmd = c.CreateCommand())
        {
            cmd.CommandText = "SELECT day, anchor, selection, candidates, sessions, bits, input_tokens, output_tokens, cost, cached_input_tokens FROM days WHERE loop = $loop AND branch = $branch ORDER BY day";
            cmd.Parameters.AddWithValue("$loop", loop);
            cmd.Parameters.AddWithValue("$branch", branch);
            using var r = cmd.ExecuteReader();
            while (r.Read())
            {
                days.Add((r.GetInt32(0), r.GetString(1), r.GetString(2), r.GetInt32(3), r.GetInt32(4), r.GetDouble(5), r.GetInt64(6), r.GetInt64(7), r.GetDouble(8), r.GetInt64(9)));
            }
        }
        var entries = new Dictionary<int, List<EntryRecord>>();
        if (days.Count > 0)
        {
            using var cmd = c.CreateCommand();
            cmd.CommandText = "SELECT day, seq, slot, session, seed, simulator, text, hash, input_tokens, output_tokens, cached_input_tokens FROM entries WHERE loop = $loop AND branch = $branch AND day <= $last ORDER BY day, seq";
            cmd.Parameters.AddWithValue("$loop", loop);
            cmd.Parameters.AddWithValue("$branch", branch);
            cmd.Parameters.AddWithValue("$last", days[^1].Day);
            using var r = cmd.ExecuteReader();
            while (r.Read())
            {
                var day = r.GetInt32(0);
                if (!entries.TryGetValue(day, out var list))
                {
                    entries[day] = list = [];
                }
                list.Add(new EntryRecord(r.GetInt32(1), r.GetInt32(2), r.GetString(3), r.GetInt64(4), r.GetString(5), r.GetString(6), r.GetString(7), r.GetInt32(8), r.GetInt32(9), r.GetInt32(10)));
            }
        }
        return days.Select(d => new DayRecord(loop, branch, d.Day, ParseIso(d.Anchor), d.Selection, d.Candidates, d.Sessions, d.Bits,
            entries.TryGetValue(d.Day, out var list) ? list : [], d.In, d.Out, d.Cost, d.Cached)).ToList();
    });

    public Task<LoopProgress> GetProgressAsync(string loop, int branches) =>
        Task.FromResult(_tallies.TryGetValue(loop, out var tally) ? tally.Snapshot(branches) : LoopProgress.Empty);

    public Task<IReadOnlyDictionary<int, int>> GetDaysPerBranchAsync(string loop) =>
        Task.FromResult(_tallies.TryGetValue(loop, out var tally) ? tally.DaysPerBranch() : new Dictionary<int, int>());

    private Task<T> ReadAsync<T>(Func<SqliteConnection, T> read) => Task.Run(() =>
    {
        using var c = new SqliteConnection(_connectionString);
        c.Open();
        return read(c);
    });

    private static LoopRecord ReadLoop(SqliteDataReader r) => new(
        r.GetString(0), r.GetString(1), r.GetString(2), Enum.Parse<RunState>(r.GetString(3)),
        r.IsDBNull(4) ? null : r.GetString(4), ParseIso(r.GetString(5)), ParseIso(r.GetString(6)));

    private static string Iso(DateTimeOffset t) => StoreTime.Format(t);

    private static DateTimeOffset ParseIso(string s) => StoreTime.Parse(s);

    public ValueTask DisposeAsync() => _writer.DisposeAsync();
}
