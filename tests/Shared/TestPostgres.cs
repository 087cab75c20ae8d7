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
    public static string CreateDatabase(string prefix = "t", string? server = null)
    {
        server ??= Server;
        var name = $"mimicry_{prefix}_{Guid.NewGuid():N}"[..40];
        using var c = new NpgsqlConnection(server);
        c.Open();
        using var cmd = new NpgsqlCommand($"CREATE DATABASE {name}", c);
        cmd.ExecuteNonQuery();
        return new NpgsqlConnectionStringBuilder(server) { Database = name }.ConnectionString;
    }

    /// <summary>
    /// A server of the test's own (tests/pg.sh, about a second to start), for tests that restart or stop it
    /// while other tests use the shared one.
    /// </summary>
    public static PrivateServer StartPrivate() => new();

    internal sealed class PrivateServer : IDisposable
    {
        private readonly string _dir = Path.Combine(Path.GetTempPath(), $"mimicry-pg-{Guid.NewGuid():N}");
        private readonly int _port = FreePort();

        public PrivateServer()
        {
            PgScript(_dir, "start", _port.ToString(System.Globalization.CultureInfo.InvariantCulture));
            ConnectionString = $"Host=127.0.0.1;Port={_port};Username=mimicry;Password=mimicry;Database=postgres";
        }

        public string ConnectionString { get; }

        /// <summary>Restarts the server (fast shutdown: every connection is cut), as an operator's restart would.</summary>
        public void Restart() => PgScript(_dir, "restart");

        public void Dispose()
        {
            PgScript(_dir, "stop");
            try
            {
                Directory.Delete(_dir, recursive: true);
            }
            catch (IOException)
            {
            }
            catch (UnauthorizedAccessException)
            {
            }
        }
    }

    public static int FreePort()
    {
        using var l = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        l.Start();
        return ((System.Net.IPEndPoint)l.LocalEndpoint).Port;
    }

    private static void PgScript(string dir, string command, string? extra = null)
    {
        var script = Path.Combine(TestRoot.Find(), "tests", "pg.sh");
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
}
