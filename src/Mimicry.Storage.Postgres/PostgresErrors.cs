using System.Net.Sockets;
using Npgsql;

namespace Mimicry.Storage.Postgres;

/// <summary>Turns PostgreSQL failures into one plain sentence, and tells passing outages from real errors.</summary>
public static class PostgresErrors
{
    /// <summary>
    /// True for failures that go away by themselves: the server restarting, a dropped connection, a full connection
    /// table, a serialization conflict. Writes and reads are retried through these.
    /// </summary>
    public static bool IsTransient(Exception ex) => ex switch
    {
        PostgresException pg => pg.SqlState.StartsWith("08", StringComparison.Ordinal)
            || pg.SqlState is "57P01" or "57P02" or "57P03" or "53300" or "40001" or "40P01",
        NpgsqlException npg => npg.IsTransient || npg.InnerException is SocketException or IOException or TimeoutException,
        SocketException or IOException or TimeoutException => true,
        _ => false,
    };

    /// <summary>What went wrong, for a person, naming the server (never the password).</summary>
    public static string Describe(Exception ex, string connectionString)
    {
        var where = Where(connectionString);
        return ex switch
        {
            PostgresException { SqlState: "28P01" or "28000" } pg => $"PostgreSQL at {where} refused the credentials of user '{pg.Data["User"] ?? User(connectionString)}'",
            PostgresException { SqlState: "3D000" } => $"PostgreSQL at {where} has no database '{Database(connectionString)}'",
            PostgresException { SqlState: "57P03" } => $"PostgreSQL at {where} is starting up or shutting down",
            PostgresException pg => $"PostgreSQL at {where} reported: {pg.MessageText}",
            NpgsqlException { InnerException: SocketException s } => $"cannot connect to PostgreSQL at {where}: {Socket(s)}",
            NpgsqlException { InnerException: TimeoutException } or TimeoutException => $"PostgreSQL at {where} did not answer in time",
            NpgsqlException npg => $"cannot use PostgreSQL at {where}: {npg.Message.TrimEnd('.')}",
            SocketException s => $"cannot connect to PostgreSQL at {where}: {Socket(s)}",
            _ => $"cannot use PostgreSQL at {where}: {ex.Message.TrimEnd('.')}",
        };
    }

    /// <summary>Parses a connection string, or throws a <see cref="StoreException"/> saying what is wrong with it.</summary>
    public static NpgsqlConnectionStringBuilder Parse(string connectionString)
    {
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            throw new StoreException("the PostgreSQL connection string is empty");
        }
        try
        {
            var b = new NpgsqlConnectionStringBuilder(connectionString);
            if (string.IsNullOrEmpty(b.Host))
            {
                throw new StoreException("the PostgreSQL connection string names no Host");
            }
            return b;
        }
        catch (ArgumentException ex)
        {
            throw new StoreException($"the PostgreSQL connection string is malformed: {ex.Message.TrimEnd('.')}", ex);
        }
    }

    private static string Socket(SocketException s) => s.SocketErrorCode switch
    {
        SocketError.ConnectionRefused => "connection refused (is the server running, and on that port?)",
        SocketError.HostNotFound or SocketError.NoData => "no such host",
        SocketError.TimedOut => "timed out",
        _ => s.Message.TrimEnd('.'),
    };

    private static string Where(string cs)
    {
        try
        {
            var b = new NpgsqlConnectionStringBuilder(cs);
            return $"{b.Host}:{b.Port}";
        }
        catch (ArgumentException)
        {
            return "(malformed connection string)";
        }
    }

    private static string? User(string cs) => new NpgsqlConnectionStringBuilder(cs).Username;

    private static string? Database(string cs) => new NpgsqlConnectionStringBuilder(cs).Database;
}
