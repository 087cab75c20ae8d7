using System.Globalization;
using System.Reflection;
using Npgsql;

namespace Mimicry.Storage.Postgres;

/// <summary>
/// The database's schema as numbered migrations (Migrations/NNNN_name.sql, embedded). <see cref="MigrateAsync"/>
/// applies the missing ones under an advisory lock, so silos starting together migrate once; <see cref="CheckAsync"/>
/// refuses a database that is older or newer than this binary.
/// </summary>
public static class PostgresSchema
{
    // Any constant will do, as long as it is the same for every Mimicry process.
    private const long MigrationLock = 0x4D696D6963727901;

    private static readonly IReadOnlyList<(int Version, string Name, string Sql)> Migrations = LoadMigrations();

    /// <summary>The schema version this binary reads and writes.</summary>
    public static int Version => Migrations[^1].Version;

    private static List<(int, string, string)> LoadMigrations()
    {
        var assembly = typeof(PostgresSchema).Assembly;
        var list = new List<(int, string, string)>();
        foreach (var name in assembly.GetManifestResourceNames().Where(n => n.StartsWith("Mimicry.Migrations.", StringComparison.Ordinal)))
        {
            var file = name["Mimicry.Migrations.".Length..^".sql".Length];
            var version = int.Parse(file[..4], CultureInfo.InvariantCulture);
            using var stream = assembly.GetManifestResourceStream(name)!;
            using var reader = new StreamReader(stream);
            list.Add((version, file, reader.ReadToEnd()));
        }
        list.Sort((a, b) => a.Item1.CompareTo(b.Item1));
        for (var i = 0; i < list.Count; i++)
        {
            if (list[i].Item1 != i + 1)
            {
                throw new InvalidOperationException($"migration {list[i].Item2} is out of sequence");
            }
        }
        return list;
    }

    /// <summary>Applies missing migrations; returns (version before, version after). Idempotent.</summary>
    public static async Task<(int Before, int After)> MigrateAsync(NpgsqlDataSource db, CancellationToken cancellationToken = default)
    {
        await using var c = await db.OpenConnectionAsync(cancellationToken);
        await using var tx = await c.BeginTransactionAsync(cancellationToken);
        await ExecAsync(c, tx, $"SELECT pg_advisory_xact_lock({MigrationLock})", cancellationToken);
        await ExecAsync(c, tx, "CREATE TABLE IF NOT EXISTS mimicry_schema(version integer NOT NULL, applied timestamptz NOT NULL DEFAULT now(), name text NOT NULL)", cancellationToken);
        var before = await CurrentAsync(c, tx, cancellationToken);
        if (before > Version)
        {
            throw new StoreException(Newer(before));
        }
        foreach (var (version, name, sql) in Migrations.Where(m => m.Version > before))
        {
            await ExecAsync(c, tx, sql, cancellationToken);
            await using var record = new NpgsqlCommand("INSERT INTO mimicry_schema(version, name) VALUES ($1, $2)", c, tx);
            record.Parameters.AddWithValue(version);
            record.Parameters.AddWithValue(name);
            await record.ExecuteNonQueryAsync(cancellationToken);
        }
        await tx.CommitAsync(cancellationToken);
        return (before, Version);
    }

    /// <summary>Throws a <see cref="StoreException"/> unless the database holds exactly this binary's schema.</summary>
    public static async Task CheckAsync(NpgsqlDataSource db, CancellationToken cancellationToken = default)
    {
        await using var c = await db.OpenConnectionAsync(cancellationToken);
        var exists = await new NpgsqlCommand("SELECT to_regclass('mimicry_schema') IS NOT NULL", c).ExecuteScalarAsync(cancellationToken) is true;
        var current = exists ? await CurrentAsync(c, null, cancellationToken) : 0;
        if (current > Version)
        {
            throw new StoreException(Newer(current));
        }
        if (current < Version)
        {
            throw new StoreException(current == 0
                ? "the database has no Mimicry schema yet; run `mimicry db migrate` (or start a silo with Migrate on start enabled)"
                : $"the database schema is version {current} but this mimicry needs version {Version}; run `mimicry db migrate`");
        }
    }

    private static string Newer(int current) =>
        $"the database schema is version {current}, newer than this mimicry knows (up to {Version}); use a newer mimicry";

    private static async Task<int> CurrentAsync(NpgsqlConnection c, NpgsqlTransaction? tx, CancellationToken cancellationToken)
    {
        await using var cmd = new NpgsqlCommand("SELECT coalesce(max(version), 0) FROM mimicry_schema", c, tx);
        return Convert.ToInt32(await cmd.ExecuteScalarAsync(cancellationToken), CultureInfo.InvariantCulture);
    }

    private static async Task ExecAsync(NpgsqlConnection c, NpgsqlTransaction tx, string sql, CancellationToken cancellationToken)
    {
        await using var cmd = new NpgsqlCommand(sql, c, tx);
        await cmd.ExecuteNonQueryAsync(cancellationToken);
    }

    internal static Assembly Assembly => typeof(PostgresSchema).Assembly;
}
