using System.Data.Common;

namespace Mimicry.Storage.Relational;

/// <summary>Commands for the shared queries, whatever the database.</summary>
public static class DbCommands
{
    /// <summary>A command on <paramref name="connection"/> with named parameters (<c>@name</c> in the SQL; null becomes SQL NULL).</summary>
    public static DbCommand Create(DbConnection connection, string sql, params (string Name, object? Value)[] parameters)
    {
        var cmd = connection.CreateCommand();
        cmd.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            var p = cmd.CreateParameter();
            p.ParameterName = name;
            p.Value = value ?? DBNull.Value;
            cmd.Parameters.Add(p);
        }
        return cmd;
    }

    /// <summary>Runs the query and makes a record of its first row, or null if it has none.</summary>
    public static async Task<T?> FirstOrDefaultAsync<T>(DbCommand command, Func<DbDataReader, T> row)
        where T : class
    {
        await using var r = await command.ExecuteReaderAsync();
        return await r.ReadAsync() ? row(r) : null;
    }

    /// <summary>Runs the query and makes one record of each row.</summary>
    public static async Task<IReadOnlyList<T>> ListAsync<T>(DbCommand command, Func<DbDataReader, T> row)
    {
        await using var r = await command.ExecuteReaderAsync();
        var list = new List<T>();
        while (await r.ReadAsync())
        {
            list.Add(row(r));
        }
        return list;
    }
}
