using System.Diagnostics;
using System.Globalization;
using System.Threading.Channels;
using Npgsql;

namespace Mimicry.Storage.Postgres;

/// <summary>
/// Batches this process's writes: up to <see cref="MaxBatch"/> queued writes go to the server in one round trip
/// and one transaction, and their tasks complete after the commit. All the day appends of a batch travel as one
/// multi-row statement (arrays, unnest), which is what lets a store outrun single-row inserts. Other statements
/// each return one integer (rows they inserted or changed). While the server is unreachable (restarting, failing
/// over) a batch is retried with backoff for up to the retry window; every write is idempotent, so a batch whose
/// commit was lost in transit can be sent again.
/// </summary>
internal sealed class PostgresBatchWriter : IAsyncDisposable
{
    public const int MaxBatch = 1024;

    private readonly Channel<Write> _queue = Channel.CreateUnbounded<Write>(new UnboundedChannelOptions { SingleReader = true });
    private readonly NpgsqlDataSource _db;
    private readonly PostgresRetry _retry;
    private readonly Task _loop;

    public PostgresBatchWriter(NpgsqlDataSource db, PostgresRetry retry)
    {
        _db = db;
        _retry = retry;
        _loop = Task.Run(RunAsync);
    }

    /// <summary>Queues a statement that returns one row with one integer.</summary>
    public Task<long> Enqueue(string sql, params object[] args) => Add(new Statement(sql, args));

    /// <summary>Queues a day; the task says 1 if it was new, 0 if that (loop, branch, day) was already committed.</summary>
    public Task<long> EnqueueDay(DayRecord day) => Add(new Append(day));

    private Task<long> Add(Write write)
    {
        if (!_queue.Writer.TryWrite(write))
        {
            throw new ObjectDisposedException(nameof(PostgresBatchWriter), "the notebook store is closed");
        }
        return write.Completion.Task;
    }

    private async Task RunAsync()
    {
        var batch = new List<Write>(MaxBatch);
        var reader = _queue.Reader;
        while (await reader.WaitToReadAsync())
        {
            while (batch.Count < MaxBatch && reader.TryRead(out var w))
            {
                batch.Add(w);
            }
            await CommitAsync(batch);
            batch.Clear();
        }
    }

    private async Task CommitAsync(List<Write> batch)
    {
        long[] results;
        try
        {
            results = await _retry.RunAsync(() => ExecuteAsync(batch));
        }
        catch (Exception ex) when (batch.Count > 1 && !PostgresErrors.IsTransient(ex) && ex is not StoreException)
        {
            // One bad write must not fail its neighbours: redo each alone to find it.
            foreach (var w in batch)
            {
                await CommitAsync([w]);
            }
            return;
        }
        catch (Exception ex)
        {
            foreach (var w in batch)
            {
                w.Completion.TrySetException(ex);
            }
            return;
        }
        for (var i = 0; i < batch.Count; i++)
        {
            batch[i].Completion.TrySetResult(results[i]);
        }
    }

    private async Task<long[]> ExecuteAsync(List<Write> batch)
    {
        await using var c = await _db.OpenConnectionAsync();
        await using var tx = await c.BeginTransactionAsync();
        await using var b = new NpgsqlBatch(c, tx);
        var statements = new List<int>();
        for (var i = 0; i < batch.Count; i++)
        {
            if (batch[i] is Statement s)
            {
                var cmd = new NpgsqlBatchCommand(s.Sql);
                foreach (var a in s.Args)
                {
                    cmd.Parameters.Add(new NpgsqlParameter { Value = a });
                }
                b.BatchCommands.Add(cmd);
                statements.Add(i);
            }
        }
        // The same day twice in one batch (two activations of a branch): only the first is offered to the server.
        var appends = new Dictionary<(string, int, int), int>();
        for (var i = 0; i < batch.Count; i++)
        {
            if (batch[i] is Append a)
            {
                appends.TryAdd((a.Day.Loop, a.Day.Branch, a.Day.Day), i);
            }
        }
        if (appends.Count > 0)
        {
            b.BatchCommands.Add(AppendCommand(appends.Values.Select(i => ((Append)batch[i]).Day).ToList()));
        }

        var results = new long[batch.Count];
        await using (var r = await b.ExecuteReaderAsync())
        {
            foreach (var i in statements)
            {
                if (!await r.ReadAsync())
                {
                    throw new UnreachableException($"a batched statement returned no row: {((Statement)batch[i]).Sql}");
                }
                results[i] = Convert.ToInt64(r.GetValue(0), CultureInfo.InvariantCulture);
                await r.NextResultAsync();
            }
            if (appends.Count > 0)
            {
                while (await r.ReadAsync())
                {
                    results[appends[(r.GetString(0), r.GetInt32(1), r.GetInt32(2))]] = 1;
                }
            }
        }
        await tx.CommitAsync();
        return results;
    }

    /// <summary>
    /// One statement for many days: the day rows go in (a day already there is skipped), then the entries of exactly
    /// the days that went in; it returns the keys of those days.
    /// </summary>
    private static NpgsqlBatchCommand AppendCommand(List<DayRecord> days)
    {
        var cmd = new NpgsqlBatchCommand(
            """
            WITH d AS (
                INSERT INTO mimicry_days(loop, branch, day, anchor, selection, candidates, sessions, bits, committed, input_tokens, output_tokens, cost, cached_input_tokens)
                SELECT loop, branch, day, anchor, selection, candidates, sessions, bits, now(), input_tokens, output_tokens, cost, cached_input_tokens
                FROM unnest($1::text[], $2::integer[], $3::integer[], $4::text[], $5::text[], $6::integer[], $7::integer[], $8::double precision[],
                            $19::bigint[], $20::bigint[], $21::double precision[], $24::bigint[])
                     AS x(loop, branch, day, anchor, selection, candidates, sessions, bits, input_tokens, output_tokens, cost, cached_input_tokens)
                ON CONFLICT DO NOTHING
                RETURNING loop, branch, day),
            e AS (
                INSERT INTO mimicry_entries(loop, branch, day, seq, slot, session, seed, simulator, text, hash, input_tokens, output_tokens, cached_input_tokens)
                SELECT x.loop, x.branch, x.day, x.seq, x.slot, x.session, x.seed, x.simulator, x.text, x.hash, x.input_tokens, x.output_tokens, x.cached_input_tokens
                FROM unnest($9::text[], $10::integer[], $11::integer[], $12::integer[], $13::integer[], $14::text[], $15::bigint[], $16::text[], $17::text[], $18::text[],
                            $22::integer[], $23::integer[], $25::integer[])
                     AS x(loop, branch, day, seq, slot, session, seed, simulator, text, hash, input_tokens, output_tokens, cached_input_tokens)
                JOIN d ON d.loop = x.loop AND d.branch = x.branch AND d.day = x.day)
            SELECT loop, branch, day FROM d
            """);
        var entries = days.SelectMany(d => d.Entries.Select(e => (d, e))).ToList();
        foreach (var value in new object[]
        {
            days.Select(d => d.Loop).ToArray(), days.Select(d => d.Branch).ToArray(), days.Select(d => d.Day).ToArray(),
            days.Select(d => StoreTime.Format(d.Anchor)).ToArray(), days.Select(d => d.Selection).ToArray(), days.Select(d => d.Candidates).ToArray(),
            days.Select(d => d.Sessions).ToArray(), days.Select(d => d.Bits).ToArray(),
            entries.Select(x => x.d.Loop).ToArray(), entries.Select(x => x.d.Branch).ToArray(), entries.Select(x => x.d.Day).ToArray(),
            entries.Select(x => x.e.Seq).ToArray(), entries.Select(x => x.e.Slot).ToArray(), entries.Select(x => x.e.SessionId).ToArray(),
            entries.Select(x => x.e.Seed).ToArray(), entries.Select(x => x.e.Simulator).ToArray(), entries.Select(x => x.e.Text).ToArray(),
            entries.Select(x => x.e.Hash).ToArray(),
            days.Select(d => d.InputTokens).ToArray(), days.Select(d => d.OutputTokens).ToArray(), days.Select(d => d.Cost).ToArray(),
            entries.Select(x => x.e.InputTokens).ToArray(), entries.Select(x => x.e.OutputTokens).ToArray(),
            days.Select(d => d.CachedInputTokens).ToArray(), entries.Select(x => x.e.CachedInputTokens).ToArray(),
        })
        {
            cmd.Parameters.Add(new NpgsqlParameter { Value = value });
        }
        return cmd;
    }

    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await _loop;
    }

    private abstract class Write
    {
        public TaskCompletionSource<long> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    private sealed class Statement(string sql, object[] args) : Write
    {
        public string Sql { get; } = sql;

        public object[] Args { get; } = args;
    }

    private sealed class Append(DayRecord day) : Write
    {
        public DayRecord Day { get; } = day;
    }
}
