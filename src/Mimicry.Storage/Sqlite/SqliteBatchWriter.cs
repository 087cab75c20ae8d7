using System.Threading.Channels;
using Microsoft.Data.Sqlite;

namespace Mimicry.Storage.Sqlite;

/// <summary>
/// The one writer of the embedded store. Writes queue up from any thread; a dedicated thread drains up to
/// <see cref="MaxBatch"/> of them into one transaction, commits, then completes their tasks. One commit (and one
/// WAL sync) serves the whole batch, which is what lets thousands of branches append per second.
/// </summary>
internal sealed class SqliteBatchWriter : IAsyncDisposable
{
    public const int MaxBatch = 1024;

    private readonly Channel<Write> _queue = Channel.CreateUnbounded<Write>(new UnboundedChannelOptions { SingleReader = true });
    private readonly SqliteConnection _connection;
    private readonly Dictionary<string, SqliteCommand> _commands = [];
    private readonly Thread _thread;

    public SqliteBatchWriter(string connectionString, SqliteSync sync)
    {
        _connection = new SqliteConnection(connectionString);
        _connection.Open();
        using (var pragma = _connection.CreateCommand())
        {
            // WAL + NORMAL: a committed batch survives a killed process; FULL also survives power loss (docs/operations.md).
            pragma.CommandText = $"PRAGMA synchronous={(sync == SqliteSync.Full ? "FULL" : "NORMAL")}; PRAGMA busy_timeout=10000;";
            pragma.ExecuteNonQuery();
        }
        _thread = new Thread(Run) { IsBackground = true, Name = "mimicry-sqlite-writer" };
        _thread.Start();
    }

    /// <summary>
    /// Queues a write; the task completes after the transaction holding it commits. <paramref name="committed"/>
    /// runs on the writer thread right after that commit, before any later batch: totals kept beside the store
    /// stay exactly in step with what is committed.
    /// </summary>
    public Task<T> Enqueue<T>(Func<CommandCache, T> execute, Action<T>? committed = null)
    {
        var write = new Write<T>(execute, committed);
        if (!_queue.Writer.TryWrite(write))
        {
            throw new ObjectDisposedException(nameof(SqliteBatchWriter), "the notebook store is closed");
        }
        return write.Completion.Task;
    }

    private void Run()
    {
        var batch = new List<Write>(MaxBatch);
        var reader = _queue.Reader;
        while (reader.WaitToReadAsync().AsTask().GetAwaiter().GetResult())
        {
            while (batch.Count < MaxBatch && reader.TryRead(out var w))
            {
                batch.Add(w);
            }
            Commit(batch);
            batch.Clear();
        }
        foreach (var c in _commands.Values)
        {
            c.Dispose();
        }
        _connection.Dispose();
    }

    private void Commit(List<Write> batch)
    {
        try
        {
            using var tx = _connection.BeginTransaction();
            var cache = new CommandCache(_connection, tx, _commands);
            foreach (var w in batch)
            {
                w.Execute(cache);
            }
            tx.Commit();
        }
        catch (Exception) when (batch.Count > 1)
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
            batch[0].Fail(ex);
            return;
        }
        foreach (var w in batch)
        {
            w.Complete();
        }
    }

    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await Task.Run(_thread.Join);
    }

    private abstract class Write
    {
        public abstract void Execute(CommandCache cache);

        public abstract void Complete();

        public abstract void Fail(Exception ex);
    }

    private sealed class Write<T>(Func<CommandCache, T> execute, Action<T>? committed) : Write
    {
        private T? _result;

        public TaskCompletionSource<T> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public override void Execute(CommandCache cache) => _result = execute(cache);

        public override void Complete()
        {
            committed?.Invoke(_result!);
            Completion.TrySetResult(_result!);
        }

        public override void Fail(Exception ex) => Completion.TrySetException(ex);
    }
}

/// <summary>Prepared commands of the writer connection, bound to the current batch's transaction.</summary>
internal sealed class CommandCache(SqliteConnection connection, SqliteTransaction tx, Dictionary<string, SqliteCommand> commands)
{
    public SqliteCommand Get(string sql, params string[] parameters)
    {
        if (!commands.TryGetValue(sql, out var cmd))
        {
            cmd = connection.CreateCommand();
            cmd.CommandText = sql;
            foreach (var p in parameters)
            {
                cmd.Parameters.Add(new SqliteParameter { ParameterName = p });
            }
            commands[sql] = cmd;
        }
        cmd.Transaction = tx;
        return cmd;
    }
}
