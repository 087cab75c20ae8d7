using System.CommandLine;
using Mimicry.Storage;
using Mimicry.Storage.Postgres;

namespace Mimicry.Cli.Commands;

/// <summary><c>mimicry db migrate --cluster CONN</c>: creates or upgrades the cluster database's schema. Idempotent.</summary>
internal static class DbCommand
{
    public static Command Create()
    {
        var connection = new ClusterConnection();
        var migrate = new Command("migrate", "Create or upgrade the cluster database's schema (safe to run again, and while silos run)");
        migrate.Add(connection.Cluster);
        migrate.SetAction((parse, ct) => MigrateAsync(connection.RequireConnectionString(parse), ct));
        return new Command("db", "Manage the cluster's PostgreSQL database") { migrate };
    }

    private static async Task<int> MigrateAsync(string connectionString, CancellationToken ct)
    {
        try
        {
            PostgresErrors.Parse(connectionString);
        }
        catch (StoreException ex)
        {
            throw new UserInputException($"--cluster: {ex.Message}");
        }
        await using var db = PostgresNotebookStore.CreateDataSource(connectionString);
        (int Before, int After) result;
        try
        {
            result = await PostgresSchema.MigrateAsync(db, ct);
        }
        catch (Npgsql.NpgsqlException ex)
        {
            throw new StoreException($"--cluster: {PostgresErrors.Describe(ex, connectionString)}", ex);
        }
        catch (StoreException ex)
        {
            throw new StoreException($"--cluster: {ex.Message}", ex);
        }
        await Console.Out.WriteLineAsync(result.Before == result.After
            ? $"Schema is up to date (version {result.After})."
            : $"Schema migrated from version {result.Before} to {result.After}.");
        return ExitCodes.Done;
    }
}
