using System.CommandLine;
using Mimicry.Storage;
using Mimicry.Storage.Access;
using Mimicry.Storage.Postgres;

namespace Mimicry.Cli.Commands;

/// <summary>
/// <c>mimicry db migrate</c> and <c>mimicry db create-admin NAME</c>: an operator's tools on a machine that may reach the
/// cluster's database. The connection string (a secret) comes from <c>$MIMICRY_CLUSTER</c>, never the command line.
/// </summary>
internal static class DbCommand
{
    public const string Variable = "MIMICRY_CLUSTER";

    public static Command Create()
    {
        var migrate = new Command("migrate", "Create or upgrade the cluster database's schema (safe to run again, and while silos run); reads $MIMICRY_CLUSTER");
        migrate.SetAction((parse, ct) => MigrateAsync(ConnectionString(), ct));
        var name = new Argument<string>("name") { Description = "The admin's user name (lower-case letters, digits, '.', '_', '-')" };
        var createAdmin = new Command("create-admin", "Create an admin user (if missing) and print a new API token for it, once: how the first admin gets in") { name };
        createAdmin.SetAction((parse, ct) => CreateAdminAsync(ConnectionString(), parse.GetRequiredValue(name), ct));
        return new Command("db", "Manage the cluster's PostgreSQL database (connection string in $MIMICRY_CLUSTER)") { migrate, createAdmin };
    }

    private static string ConnectionString()
    {
        var cs = Environment.GetEnvironmentVariable(Variable);
        if (string.IsNullOrWhiteSpace(cs))
        {
            throw new UserInputException($"${Variable}: required: the cluster database's connection string (kept off the command line: it holds a password)");
        }
        try
        {
            PostgresErrors.Parse(cs);
        }
        catch (StoreException ex)
        {
            throw new UserInputException($"${Variable}: {ex.Message}");
        }
        return cs;
    }

    private static async Task<int> MigrateAsync(string connectionString, CancellationToken ct)
    {
        await using var db = PostgresNotebookStore.CreateDataSource(connectionString);
        (int Before, int After) result;
        try
        {
            result = await PostgresSchema.MigrateAsync(db, ct);
        }
        catch (Npgsql.NpgsqlException ex)
        {
            throw new StoreException($"${Variable}: {PostgresErrors.Describe(ex, connectionString)}", ex);
        }
        catch (StoreException ex)
        {
            throw new StoreException($"${Variable}: {ex.Message}", ex);
        }
        await Console.Out.WriteLineAsync(result.Before == result.After
            ? $"Schema is up to date (version {result.After})."
            : $"Schema migrated from version {result.Before} to {result.After}.");
        return ExitCodes.Done;
    }

    private static async Task<int> CreateAdminAsync(string connectionString, string name, CancellationToken ct)
    {
        if (!Mimicry.SpecReading.SpecReader.IsSlug(name))
        {
            throw new UserInputException($"name: must be 1-64 lower-case letters, digits, '.', '_' or '-' (got '{Mimicry.Text.InertText.ForTerminal(name)}')");
        }
        await using var store = await PostgresNotebookStore.OpenAsync(connectionString, migrate: false, cancellationToken: ct);
        var access = store.Access;
        var now = DateTimeOffset.UtcNow;
        if (await access.GetUserAsync(name) is { } existing && existing.Role != Api.Auth.Roles.Admin)
        {
            throw new UserInputException($"name: user '{name}' exists as a {existing.Role}; choose another name for the admin");
        }
        await access.AddUserAsync(new UserRecord(name, Api.Auth.Roles.Admin, now, "db create-admin"));
        var (record, token) = Api.Auth.ApiTokens.Create(name, "db create-admin", now, null, "db create-admin");
        await access.AddTokenAsync(record);
        await access.AppendAuditAsync(new AuditRecord(0, now, $"db:{Environment.UserName}", "token.create", name, "ok", "db create-admin", null));
        await Console.Error.WriteLineAsync($"Admin '{name}' has a new token (id {record.Id}); it is shown once, below. Keep it in $MIMICRY_TOKEN or {ApiConnection.CredentialsFile()}.");
        await Console.Out.WriteLineAsync(token);
        return ExitCodes.Done;
    }
}
