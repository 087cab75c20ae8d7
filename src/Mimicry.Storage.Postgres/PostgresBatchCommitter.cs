using Mimicry.Storage.Relational;
using Npgsql;

namespace Mimicry.Storage.Postgres;

/// <summary>
/// Commits a batch in one round trip and one transaction: each statement as a command of an <see cref="NpgsqlBatch"/>,
/// and all the batch's days as one multi-row statement (arrays, unnest), which is what lets a store outrun single-row
/// inserts. While the server is unreachable (restarting, failing over) the batch is retried with backoff for up to
/// the retry window; every write is idempotent, so a batch whose commit was lost in transit can be sent again.
/// </summary>
internal sealed class PostgresBatchCommitter(NpgsqlDataSource db, PostgresRetry retry) : IBatchCommitter
{
    public Task CommitAsync(IReadOnlyList<BatchedWrite> batch) => retry.RunAsync(async () =>
    {
        await ExecuteAsync(batch);
        return true;
    });

    /// <summary>Not an outage (it would fail each write again) nor one that has already outlasted the retry window.</summary>
    public bool Isolates(Exception error) => !PostgresErrors.IsTransient(error) && error is not StoreException;

    private async Task ExecuteAsync(IReadOnlyList<BatchedWrite> batch)
    {
        await using var c = await db.OpenConnectionAsync();
        await using var tx = await c.BeginTransactionAsync();
        await using var b = new NpgsqlBatch(c, tx);
        // The same day twice in one batch (two activations of a branch): only the first is offered to the server.
        var appends = new Dictionary<(string, int, int), DayWrite>();
        foreach (var d in batch.OfType<DayWrite>())
        {
            d.Result = 0;
            appends.TryAdd((d.Day.Loop, d.Day.Branch, d.Day.Day), d);
        }
        // The days go first, so the reader opens on their rows (entries refer only to days, so the order of the
        // batch's other statements around them does not matter).
        if (appends.Count > 0)
        {
            b.BatchCommands.Add(PostgresDayAppend.Command(appends.Values.Select(d => d.Day).ToList()));
        }
        var statements = new List<(StatementWrite Write, NpgsqlBatchCommand Command)>();
        foreach (var s in batch.OfType<StatementWrite>())
        {
            var cmd = new NpgsqlBatchCommand(s.Sql);
            foreach (var (name, value) in s.Parameters)
            {
                cmd.Parameters.Add(new NpgsqlParameter(name, value ?? DBNull.Value));
            }
            b.BatchCommands.Add(cmd);
            statements.Add((s, cmd));
        }
        await using (var r = await b.ExecuteReaderAsync())
        {
            // The keys of the days that went in; closing the reader runs the statements after them.
            while (appends.Count > 0 && await r.ReadAsync())
            {
                appends[(r.GetString(0), r.GetInt32(1), r.GetInt32(2))].Result = 1;
            }
        }
        foreach (var (write, command) in statements)
        {
            write.Result = command.RecordsAffected;
        }
        await tx.CommitAsync();
    }

    public void Dispose()
    {
    }
}
