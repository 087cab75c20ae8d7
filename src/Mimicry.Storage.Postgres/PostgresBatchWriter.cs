using System.Diagnostics;
using System.Threading.Channels;
using Npgsql;

namespace Mimicry.Storage.Postgres;

/// <summary>
/// Batches this process's writes: up to <see cref="MaxBatch"/> queued statements go to the server in one round
/// trip and one transaction, and their tasks complete after the commit. Every statement returns one integer
/// (rows it inserted or changed). While the server is unreachable (restarting, failing over) a batch is retried
/// with backoff for up to the retry window; statements are idempotent, so a batch whose commit was lost in
/// transit can be sent again.
/// </summary>
internal sealed class PostgresBatchWriter : IAsyncDisposable
{
    public const int MaxBatch = 512;

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

    public Task<long> Enqueue(string sql, params object[] args)
    {
        var write = new Write(sql, args);
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
            // One bad statement must not fail its neighbours: redo each alone to find it.
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
        foreach (var w in batch)
        {
            var cmd = new NpgsqlBatchCommand(w.Sql);
            foreach (var a in w.Args)
            {
                cmd.Parameters.Add(new NpgsqlParameter { Value = a });
            }
            b.BatchCommands.Add(cmd);
        }
        var results = new long[batch.Count];
        await using (var r = await b.ExecuteReaderAsync())
        {
            for (var i = 0; i < batch.Count; i++)
            {
                if (!await r.ReadAsync())
                {
                    throw new UnreachableException($"statement {i} of a batch returned no row: {batch[i].Sql}");
                }
                results[i] = Convert.ToInt64(r.GetValue(0), System.Globalization.CultureInfo.InvariantCulture);
                await r.NextResultAsync();
            }
        }
        await tx.CommitAsync();
        return results;
    }

    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await _loop;
    }

    private sealed class Write(string sql, object[] args)
    {
        public string Sql { get; } = sql;

        public object[] Args { get; } = args;

        public TaskCompletionSource<long> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
