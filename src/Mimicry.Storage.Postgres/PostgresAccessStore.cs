using System.Data.Common;
using Mimicry.Storage.Relational;
using Npgsql;

namespace Mimicry.Storage.Postgres;

/// <summary>Users, tokens and the audit log in the cluster's database (the shared queries of <see cref="RelationalAccessStore"/>), each call retried through outages.</summary>
internal sealed class PostgresAccessStore(NpgsqlDataSource db, PostgresRetry retry) : RelationalAccessStore(PostgresDialect.Instance)
{
    protected override Task<T> RunAsync<T>(Func<DbConnection, Task<T>> work) => retry.RunAsync(async () =>
    {
        await using var c = await db.OpenConnectionAsync();
        return await work(c);
    });
}
