using System.Data.Common;
using Microsoft.Data.Sqlite;
using Mimicry.Storage.Relational;

namespace Mimicry.Storage.Sqlite;

/// <summary>
/// SQLite's part of the shared queries: plain table names, instants as ISO-8601 text (<see cref="StoreTime"/>),
/// flags as 0/1, and score changes numbered by a sequence the one writer keeps in commit order.
/// </summary>
internal sealed class SqliteDialect : SqlDialect
{
    public static SqliteDialect Instance { get; } = new();

    public override string Table(string name) => name;

    public override object Time(DateTimeOffset instant) => StoreTime.Format(instant);

    public override DateTimeOffset ReadTime(DbDataReader reader, int ordinal) => StoreTime.Parse(reader.GetString(ordinal));

    public override object Flag(bool value) => value ? 1 : 0;

    public override string ScoreMarkColumn => "score_seq";

    public override string NextScoreMark => "(SELECT COALESCE(MAX(score_seq), 0) + 1 FROM probes)";

    public override string SnapshotScoreMark => "SELECT COALESCE(MAX(score_seq), 0) + 1 FROM probes";

    // Deferred: a plain BEGIN takes no lock until it reads, and in WAL mode its reads share one snapshot (the
    // default, BEGIN IMMEDIATE, would queue behind the writer).
    public override Task<DbTransaction> BeginSnapshotAsync(DbConnection connection) =>
        Task.FromResult<DbTransaction>(((SqliteConnection)connection).BeginTransaction(deferred: true));
}
