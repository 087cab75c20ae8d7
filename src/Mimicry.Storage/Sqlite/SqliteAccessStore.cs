using System.Data.Common;
using Microsoft.Data.Sqlite;
using Mimicry.Storage.Relational;

namespace Mimicry.Storage.Sqlite;

/// <summary>Users, tokens and the audit log in the data folder's SQLite file (the shared queries of <see cref="RelationalAccessStore"/>).</summary>
internal sealed class SqliteAccessStore(string connectionString) : RelationalAccessStore(SqliteDialect.Instance)
{
    protected override Task<T> RunAsync<T>(Func<DbConnection, Task<T>> work) => Task.Run(async () =>
    {
        try
        {
            await using var c = new SqliteConnection(connectionString);
            c.Open();
            return await work(c);
        }
        catch (SqliteException ex)
        {
            throw new StoreException($"the access store failed: {ex.Message}", ex);
        }
    });
}
