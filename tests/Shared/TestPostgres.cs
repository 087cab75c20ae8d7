using System.Diagnostics;
using Npgsql;

namespace Mimicry.Tests.Shared;

/// <summary>
/// The throwaway PostgreSQL server that tests/run-all.sh starts (tests/pg.sh). Each test class gets its own
/// database on it, so tests never see each other's rows.
/// </summary>
internal static class TestPostgres
{
    public const string Variable = "MIMICRY_TEST_POSTGRES";

    /// <summary>The server's connection string (database <c>postgres</c>).</summary>
    public static string Server =>
        Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } cs
            ? cs
            : throw new InvalidOperationException($"{Variable} is not set: run tests/run-all.sh, which starts a throwaway PostgreSQL for the tests");

    /// <summary>Creates an empty database and returns its connection string.</summary>
    public static string CreateDatabase(string prefix = "t")
    {
        var name = $"mimicry_{prefix}_{Guid.NewGuid():N}"[..40];
        using var c = new NpgsqlConnection(Server);
        c.Open();
        using var cmd = new NpgsqlCommand($"CREATE DATABASE {name}", c);
        cmd.ExecuteNonQuery();
        return new NpgsqlConnectionStringBuilder(Server) { Database = name }.ConnectionString;
    }

    /// <summary>Restarts the server (fast shutdown: every connection is cut), as an operator's restart would.</summary>
    public static void Restart() => PgScript("restart");

    public static void Stop() => PgScript("stop");

    public static void Start() => PgScript("start", new NpgsqlConnectionStringBuilder(Server).Port.ToString(System.Globalization.CultureInfo.InvariantCulture));

    private static void PgScript(string command, string? extra = null)
    {
        var dir = Environment.GetEnvironmentVariable("MIMICRY_TEST_PG_DIR")
            ?? throw new InvalidOperationException("MIMICRY_TEST_PG_DIR is not set: run tests/run-all.sh");
        var script = Path.Combine(RepoRoot(), "tests", "pg.sh");
        var psi = new ProcessStartInfo("bash") { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var a in new[] { script, command, dir, extra }.Where(a => a is not null))
        {
            psi.ArgumentList.Add(a!);
        }
        using var p = Process.Start(psi)!;
        var err = p.StandardError.ReadToEnd();
        p.WaitForExit();
        if (p.ExitCode != 0)
        {
            throw new InvalidOperationException($"tests/pg.sh {command} failed: {err}");
        }
    }

    public static string RepoRoot()
    {
        var d = new DirectoryInfo(AppContext.BaseDirectory);
        while (d is not null && !File.Exists(Path.Combine(d.FullName, "Mimicry.sln")))
        {
            d = d.Parent;
        }
        return d?.FullName ?? throw new InvalidOperationException("cannot find the repository root above " + AppContext.BaseDirectory);
    }
}
