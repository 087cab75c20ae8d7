using System.Net;
using System.Net.Sockets;
using Npgsql;

namespace Mimicry.IntegrationTests.Cluster;

/// <summary>Bad cluster settings end a silo or client at once, with one sentence naming the setting: no hang, no stack.</summary>
public sealed class ClusterConfigTests
{
    private static async Task<CliProcess.Result> SiloAsync(TestCluster cluster, params (string Key, string Value)[] overrides)
    {
        var env = cluster.SiloEnvironment(TestPostgres.FreePort(), TestPostgres.FreePort());
        foreach (var (k, v) in overrides)
        {
            env[k] = v;
        }
        return await CliProcess.RunAsync(TimeSpan.FromSeconds(60), env, "silo");
    }

    private static void AssertOneSentence(CliProcess.Result r, int exitCode, string expected)
    {
        Assert.True(r.ExitCode == exitCode, $"exit {r.ExitCode}: {r.Stderr}");
        var lines = r.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.True(lines.Length == 1, "expected one line, got:\n" + r.Stderr);
        Assert.Matches(expected, lines[0]);
        Assert.DoesNotContain("   at ", r.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnreachableDatabase_RefusedCredentials_AndBadConnectionStrings_AreNamed()
    {
        var cluster = new TestCluster(TestPostgres.CreateDatabase("config"));
        AssertOneSentence(await SiloAsync(cluster, ("Mimicry__Cluster__Database", "Host=127.0.0.1;Port=1;Username=x;Password=y;Database=z")), 1,
            "^mimicry: Mimicry:Cluster:Database: cannot connect to PostgreSQL at 127.0.0.1:1: connection refused");
        var bad = new NpgsqlConnectionStringBuilder(cluster.Database) { Username = "mimicry", Password = "wrong" }.ConnectionString;
        AssertOneSentence(await SiloAsync(cluster, ("Mimicry__Cluster__Database", bad)), 1,
            "^mimicry: Mimicry:Cluster:Database: PostgreSQL at 127.0.0.1:[0-9]+ refused the credentials of user 'mimicry'$");
        AssertOneSentence(await SiloAsync(cluster, ("Mimicry__Cluster__Database", "Host=127.0.0.1;Nonsense=3")), 2,
            "^mimicry: invalid setting: Mimicry:Cluster:Database: the PostgreSQL connection string is malformed");
        AssertOneSentence(await SiloAsync(cluster, ("Mimicry__Cluster__Database", "")), 2,
            "^mimicry: invalid setting: Mimicry:Cluster:Database: required");
        AssertOneSentence(await SiloAsync(cluster, ("Mimicry__Cluster__SiloPort", "70000")), 2,
            "^mimicry: invalid setting: Mimicry:Cluster:SiloPort: must be a TCP port between 1 and 65535 \\(got 70000\\)$");
        AssertOneSentence(await CliProcess.RunAsync(TimeSpan.FromSeconds(30), new Dictionary<string, string> { ["MIMICRY_TOKEN"] = "mim_0123456789abcdef_abcdefghijklmnopqrstuvwxyz" }, "status", "--server", "http://127.0.0.1:1"), 1,
            "^mimicry: cannot reach the server: ");
        AssertOneSentence(await CliProcess.RunAsync(TimeSpan.FromSeconds(30), new Dictionary<string, string> { ["MIMICRY_CLUSTER"] = "Host=127.0.0.1;Port=1;Username=x;Password=y" }, "db", "migrate"), 1,
            "^mimicry: \\$MIMICRY_CLUSTER: cannot connect to PostgreSQL at 127.0.0.1:1: connection refused");
    }

    [Fact]
    public async Task ABadConfigFile_IsNamed_BeforeAnythingStarts()
    {
        var cluster = new TestCluster(TestPostgres.CreateDatabase("configfile"));
        var env = cluster.SiloEnvironment(TestPostgres.FreePort(), TestPostgres.FreePort());
        var file = Path.Combine(Path.GetTempPath(), $"silo-{Guid.NewGuid():N}.json");

        await File.WriteAllTextAsync(file, """{ "Mimicry": { "Loops": { "StartFanOut": 0 } } }""");
        AssertOneSentence(await CliProcess.RunAsync(TimeSpan.FromSeconds(60), env, "silo", "--config", file), 2, "^mimicry: invalid setting: Mimicry:Loops:StartFanOut: ");

        await File.WriteAllTextAsync(file, """{ "Mimicry": { "Cluster": { "SiloPort": 1 """);
        AssertOneSentence(await CliProcess.RunAsync(TimeSpan.FromSeconds(60), env, "silo", "--config", file), 2, "^mimicry: --config: silo-[0-9a-f]+\\.json: not valid JSON \\(line [0-9]+, position [0-9]+\\)$");

        AssertOneSentence(await CliProcess.RunAsync(TimeSpan.FromSeconds(60), env, "silo", "--config", file + ".missing"), 2, "^mimicry: --config: no such file: ");
    }

    [Fact]
    public async Task ASchemaOlderOrNewerThanTheBinary_IsRefused()
    {
        var cluster = new TestCluster(TestPostgres.CreateDatabase("schema"));
        Assert.Equal(0, (await cluster.DbAsync("migrate")).ExitCode);
        await using (var c = new NpgsqlConnection(cluster.Database))
        {
            await c.OpenAsync();
            await new NpgsqlCommand("DELETE FROM mimicry_schema WHERE version = (SELECT max(version) FROM mimicry_schema)", c).ExecuteNonQueryAsync();
        }
        AssertOneSentence(await SiloAsync(cluster, ("Mimicry__Cluster__MigrateOnStart", "false")), 1,
            "^mimicry: Mimicry:Cluster:Database: the database schema is version [0-9]+ but this mimicry needs version [0-9]+; run `mimicry db migrate`$");

        await using (var c = new NpgsqlConnection(cluster.Database))
        {
            await c.OpenAsync();
            await new NpgsqlCommand("INSERT INTO mimicry_schema(version, name) VALUES (99, 'from the future')", c).ExecuteNonQueryAsync();
        }
        AssertOneSentence(await SiloAsync(cluster), 1,
            "^mimicry: Mimicry:Cluster:Database: the database schema is version 99, newer than this mimicry knows");
        AssertOneSentence(await cluster.DbAsync("migrate"), 1, "^mimicry: \\$MIMICRY_CLUSTER: the database schema is version 99, newer");
    }

    [Fact]
    public async Task APortInUse_AndAClusterIdWithNoSilos_AreNamed()
    {
        await using var cluster = new TestCluster(TestPostgres.CreateDatabase("ports"));
        using var squatter = new TcpListener(IPAddress.Any, 0);
        squatter.Start();
        var port = ((IPEndPoint)squatter.LocalEndpoint).Port;
        AssertOneSentence(await SiloAsync(cluster, ("Mimicry__Cluster__GatewayPort", port.ToString(System.Globalization.CultureInfo.InvariantCulture))), 2,
            $"^mimicry: invalid setting: Mimicry:Cluster:GatewayPort: port {port} is already in use on this host$");

        await cluster.StartSiloAsync();
        var env = cluster.ClientEnvironment();
        env["MIMICRY_TOKEN"] = "mim_0123456789abcdef_not-the-real-secret-at-all";
        AssertOneSentence(await CliProcess.RunAsync(TimeSpan.FromSeconds(60), env, "status"), 2, "^mimicry: send a valid API token");
        var ok = await cluster.CliAsync("status");
        Assert.True(ok.ExitCode == 0, ok.Stderr);
        Assert.Contains("No loops on the server at", ok.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task EverySiloServesTheApi_AndKillingOne_LeavesTheOthersAnswering()
    {
        await using var cluster = new TestCluster(TestPostgres.CreateDatabase("gateway"));
        var first = await cluster.StartSiloAsync();
        var second = await cluster.StartSiloAsync();
        using var viaSecond = new Mimicry.Client.MimicryClient(second.ApiUrl, cluster.AdminToken!);
        Assert.Empty(await viaSecond.ListLoopsAsync());
        first.Kill();
        Assert.Empty(await viaSecond.ListLoopsAsync());
        Assert.Equal("test-admin", (await viaSecond.MeAsync()).Name);
    }
}
