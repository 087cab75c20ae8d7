using System.Data;
using System.Data.Common;
using Mimicry.Storage.Relational;
using Npgsql;

namespace Mimicry.Storage.Postgres;

/// <summary>
/// PostgreSQL's part of the shared queries: tables prefixed <c>mimicry_</c>, instants as <c>timestamptz</c>, real
/// booleans, and score changes numbered by the writing transaction's id (several silos write, so no one process
/// can keep a sequence in commit order).
/// </summary>
internal sealed class PostgresDialect : SqlDialect
{
    public static PostgresDialect Instance { get; } = new();

    public override string Table(string name) => "mimicry_" + name;

    public override object Time(DateTimeOffset instant) => instant.ToUniversalTime();

    public override DateTimeOffset ReadTime(DbDataReader reader, int ordinal) => reader.GetFieldValue<DateTimeOffset>(ordinal);

    public override object Flag(bool value) => value;

    public override string ScoreMarkColumn => "score_txid";

    public override string NextScoreMark => "pg_current_xact_id()::text::bigint";

    // Transactions commit out of the order of their ids, so the mark is the snapshot's xmin: every transaction below
    // it has ended (its rows are visible to this snapshot), and any still running has an id at or above it.
    public override string SnapshotScoreMark => "SELECT pg_snapshot_xmin(pg_current_snapshot())::text::bigint";

    public override async Task<DbTransaction> BeginSnapshotAsync(DbConnection connection) =>
        await ((NpgsqlConnection)connection).BeginTransactionAsync(IsolationLevel.RepeatableRead);
}
