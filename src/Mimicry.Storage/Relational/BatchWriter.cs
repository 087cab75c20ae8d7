using System.Threading.Channels;

namespace Mimicry.Storage.Relational;

/// <summary>
/// The one writer of a relational store, whatever the database. Writes queue up from any thread; a dedicated thread
/// drains up to <see cref="MaxBatch"/> of them, hands them to the database's <see cref="IBatchCommitter"/> as one
/// transaction, then completes their tasks. One commit (one WAL sync, one round trip) serves the whole batch, which
/// is what lets thousands of branches append per second. A dedicated thread, not the thread pool: a synced commit
/// blocks for milliseconds, and the pool is where the grains run.
/// </summary>
public sealed class BatchWriter : IAsyncDisposable
{
    public const int MaxBatch = 1024;

    private readonly Channel<BatchedWrite> _queue = Channel.CreateUnbounded<BatchedWrite>(new UnboundedChannelOptions { SingleReader = true });
    private readonly IBatchCommitter _committer;
    private readonly Thread _thread;

    public BatchWriter(IBatchCommitter committer, string name)
    {
        _committer = committer;
        _thread = new Thread(Run) { IsBackground = true, Name = name };
        _thread.Start();
    }

    /// <summary>Queues a write; the task completes with its result after the transaction holding it commits.</summary>
    public Task<long> Enqueue(BatchedWrite write)
    {
        if (!_queue.Writer.TryWrite(write))
        {
            throw new ObjectDisposedException(nameof(BatchWriter), "the notebook store is closed");
        }
        return write.Completion.Task;
    }

    private void Run()
    {
        var batch = new List<BatchedWrite>(MaxBatch);
        var reader = _queue.Reader;
        try
        {
            while (reader.WaitToReadAsync().AsTask().GetAwaiter().GetResult())
            {
                while (batch.Count < MaxBatch && reader.TryRead(out var w))
                {
                    batch.Add(w);
                }
                Commit(batch);
                batch.Clear();
            }
        }
        finally
        {
            _committer.Dispose();
        }
    }

    private void Commit(List<BatchedWrite> batch)
    {
        try
        {
            _committer.CommitAsync(batch).GetAwaiter().GetResult();
        }
        catch (Exception ex) when (batch.Count > 1 && _committer.Isolates(ex))
        {
            // One bad write must not fail its neighbours: redo each alone to find it.
            foreach (var w in batch)
            {
                Commit([w]);
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
        foreach (var w in batch)
        {
            w.Committed?.Invoke(w.Result);
            w.Completion.TrySetResult(w.Result);
        }
    }

    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await Task.Run(_thread.Join);
    }
}
