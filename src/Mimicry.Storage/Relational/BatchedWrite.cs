namespace Mimicry.Storage.Relational;

/// <summary>
/// One write queued for a relational store's <see cref="BatchWriter"/>: a statement, or a day with its entries
/// (whose SQL is the one part each database writes its own way).
/// </summary>
public abstract class BatchedWrite
{
    internal TaskCompletionSource<long> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Runs on the writer right after the commit that holds this write, before any later batch.</summary>
    internal Action<long>? Committed { get; init; }

    /// <summary>Rows the write inserted or changed (for a day: 1 if it was new), set by the committer.</summary>
    public long Result { get; set; }
}

/// <summary>A statement with named parameters: <c>@name</c> in the SQL, which both SQLite and Npgsql read.</summary>
public sealed class StatementWrite(string sql, IReadOnlyList<(string Name, object? Value)> parameters) : BatchedWrite
{
    public string Sql { get; } = sql;

    public IReadOnlyList<(string Name, object? Value)> Parameters { get; } = parameters;
}

/// <summary>A day and its entries; written only if that (loop, branch, day) is not committed yet.</summary>
public sealed class DayWrite(DayRecord day) : BatchedWrite
{
    public DayRecord Day { get; } = day;
}

/// <summary>How one database commits a batch: in one transaction, setting each write's <see cref="BatchedWrite.Result"/>.</summary>
public interface IBatchCommitter : IDisposable
{
    /// <summary>Writes the whole batch in one transaction, or throws and keeps none of it.</summary>
    Task CommitAsync(IReadOnlyList<BatchedWrite> batch);

    /// <summary>
    /// Whether a batch that failed with <paramref name="error"/> is tried again write by write, so that one bad write
    /// fails alone; not for an outage, which would fail each of them again.
    /// </summary>
    bool Isolates(Exception error);
}
