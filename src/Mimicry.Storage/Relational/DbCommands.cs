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
