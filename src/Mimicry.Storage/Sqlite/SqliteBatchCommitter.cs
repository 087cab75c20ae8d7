using Microsoft.Data.Sqlite;
using Mimicry.Storage.Relational;

namespace Mimicry.Storage.Sqlite;

/// <summary>
/// Commits the embedded store's batches on the writer's own connection: each statement prepared once and reused,
/// a day as its row then its entries (the entries only if the row was new).
/// </summary>
internal sealed class SqliteBatchCommitter : IBatchCommitter
{
    private const string InsertDay =
        "INSERT INTO days(loop, branch, day, anchor, selection, candidates, sessions, bits, committed, input_tokens, output_tokens, cost, cached_input_tokens) VALUES(@loop, @branch, @day, @anchor, @selection, @candidates, @sessions, @bits, @committed, @in, @out, @cost, @cached) ON CONFLICT DO NOTHING";

    private const string InsertEntry =
        "INSERT INTO entries(loop, branch, day, seq, slot, session, seed, simulator, text, hash, input_tokens, output_tokens, cached_input_tokens) VALUES(@loop, @branch, @day, @seq, @slot, @session, @seed, @simulator, @text, @hash, @in, @out, @cached)";

    private readonly SqliteConnection _connection;
    private readonly Dictionary<string, SqliteCommand> _commands = [];

    public SqliteBatchCommitter(string connectionString, SqliteSync sync)
    {
        _connection = new SqliteConnection(connectionString);
        _connection.Open();
        using var pragma = _connection.CreateCommand();
        // WAL + NORMAL: a committed batch survives a killed process; FULL also survives power loss (docs/operations.md).
        pragma.CommandText = $"PRAGMA synchronous={(sync == SqliteSync.Full ? "FULL" : "NORMAL")}; PRAGMA busy_timeout=10000;";
        pragma.ExecuteNonQuery();
    }

    public Task CommitAsync(IReadOnlyList<BatchedWrite> batch)
    {
        using var tx = _connection.BeginTransaction();
        foreach (var write in batch)
        {
            write.Result = write switch
            {
                StatementWrite s => Execute(tx, s.Sql, s.Parameters),
                DayWrite d => Append(tx, d.Day),
                _ => throw new ArgumentException($"unknown write {write.GetType().Name}", nameof(batch)),
            };
        }
        tx.Commit();
        return Task.CompletedTask;
    }

    public bool Isolates(Exception error) => true;

    private long Append(SqliteTransaction tx, DayRecord day)
    {
        if (Execute(tx, InsertDay, [
            ("loop", day.Loop), ("branch", day.Branch), ("day", day.Day), ("anchor", StoreTime.Format(day.Anchor)), ("selection", day.Selection),
            ("candidates", day.Candidates), ("sessions", day.Sessions), ("bits", day.Bits), ("committed", StoreTime.Format(DateTimeOffset.UtcNow)),
            ("in", day.InputTokens), ("out", day.OutputTokens), ("cost", day.Cost), ("cached", day.CachedInputTokens)]) == 0)
        {
            return 0;
        }
        foreach (var e in day.Entries)
        {
            Execute(tx, InsertEntry, [
                ("loop", day.Loop), ("branch", day.Branch), ("day", day.Day), ("seq", e.Seq), ("slot", e.Slot), ("session", e.SessionId), ("seed", e.Seed),
                ("simulator", e.Simulator), ("text", e.Text), ("hash", e.Hash), ("in", e.InputTokens), ("out", e.OutputTokens), ("cached", e.CachedInputTokens)]);
        }
        return 1;
    }

    /// <summary>Runs a statement through its prepared command (made on first use), binding parameters by position in the list.</summary>
    private int Execute(SqliteTransaction tx, string sql, IReadOnlyList<(string Name, object? Value)> parameters)
    {
        if (!_commands.TryGetValue(sql, out var cmd))
        {
            cmd = _connection.CreateCommand();
            cmd.CommandText = sql;
            foreach (var (name, _) in parameters)
            {
                cmd.Parameters.Add(new SqliteParameter { ParameterName = "@" + name });
            }
            _commands[sql] = cmd;
        }
        cmd.Transaction = tx;
        for (var i = 0; i < parameters.Count; i++)
        {
            cmd.Parameters[i].Value = parameters[i].Value ?? DBNull.Value;
        }
        return cmd.ExecuteNonQuery();
    }

    public void Dispose()
    {
        foreach (var c in _commands.Values)
        {
            c.Dispose();
        }
        _connection.Dispose();
    }
}
