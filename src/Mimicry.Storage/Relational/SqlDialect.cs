using System.Data.Common;

namespace Mimicry.Storage.Relational;

/// <summary>
/// What differs between the relational stores' SQL beyond the day append: table names, how instants and flags are
/// kept, and how probe score changes are numbered. Everything else is one set of queries (<see cref="RelationalNotebookStore"/>).
/// </summary>
public abstract class SqlDialect
{
    /// <summary>The table's name in this database (PostgreSQL's are prefixed, so they can share a database with others).</summary>
    public abstract string Table(string name);

    /// <summary>An instant as a parameter value for a time column.</summary>
    public abstract object Time(DateTimeOffset instant);

    /// <summary>An instant from a time column.</summary>
    public abstract DateTimeOffset ReadTime(DbDataReader reader, int ordinal);

    /// <summary>A boolean as a parameter value.</summary>
    public abstract object Flag(bool value);

    /// <summary>The probes' column that numbers score changes.</summary>
    public abstract string ScoreMarkColumn { get; }

    /// <summary>An SQL expression for the number a score change written now takes.</summary>
    public abstract string NextScoreMark { get; }

    /// <summary>
    /// A query for the mark to read from next time, run in the same snapshot as the read: every change numbered below
    /// it is visible to that snapshot, and every change not visible to it is numbered at or above it.
    /// </summary>
    public abstract string SnapshotScoreMark { get; }

    /// <summary>Begins a transaction whose reads all see one snapshot and which takes no write lock.</summary>
    public abstract Task<DbTransaction> BeginSnapshotAsync(DbConnection connection);
}
