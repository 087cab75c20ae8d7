using System.Net;
using System.Net.Sockets;
using Mimicry.Hosting.Cluster;
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
        AssertOneSentence(await CliProcess.RunAsync(TimeSpan.FromSeconds(30), "status", "--cluster", "Host=127.0.0.1;Port=1;Username=x;Password=y"), 1,
            "^mimicry: --cluster: cannot connect to PostgreSQL at 127.0.0.1:1: connection refused");
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
        Assert.Equal(0, (await cluster.CliAsync("db", "migrate", "--cluster", cluster.Database)).ExitCode);
        await using (var c = new NpgsqlConnection(cluster.Database))
        {
            await c.OpenAsync();
            await new NpgsqlCommand("DELETE FROM mimicry_schema WHERE version = (SELECT max(version) FROM mimicry_schema)", c).ExecuteNonQueryAsync();
        }
        AssertOneSentence(await SiloAsync(cluster, ("Mimicry__Cluster__MigrateOnStart", "false")), 1,
            "^mimicry: Mimicry:Cluster:Database: the database schema is version [0-9]+ but this mimicry needs version [0-9]+; run `mimicry db migrate`$");
        AssertOneSentence(await cluster.CliAsync("status"), 1, "^mimicry: --cluster: the database schema is version");

        await using (var c = new NpgsqlConnection(cluster.Database))
        {
            await c.OpenAsync();
            await new NpgsqlCommand("INSERT INTO mimicry_schema(version, name) VALUES (99, 'from the future')", c).ExecuteNonQueryAsync();
        }
        AssertOneSentence(await SiloAsync(cluster), 1,
            "^mimicry: Mimicry:Cluster:Database: the database schema is version 99, newer than this mimicry knows");
        AssertOneSentence(await cluster.CliAsync("db", "migrate", "--cluster", cluster.Database), 1, "^mimicry: --cluster: the database schema is version 99, newer");
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
        env["MIMICRY_CLUSTER_ID"] = "no-such-cluster";
        AssertOneSentence(await CliProcess.RunAsync(TimeSpan.FromSeconds(60), env, "status"), 1,
            $"^mimicry: --cluster: no silo of cluster 'no-such-cluster' is running; clusters with running silos in this database: {cluster.ClusterId} \\(set --cluster-id\\)$");
        var ok = await cluster.CliAsync("status");
        Assert.True(ok.ExitCode == 0, ok.Stderr);
        Assert.Contains("No loops in the cluster", ok.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AClientWhoseGatewayDies_MovesToAnotherSilo()
    {
        await using var cluster = new TestCluster(TestPostgres.CreateDatabase("gateway"));
        var first = await cluster.StartSiloAsync();
        var second = await cluster.StartSiloAsync();
        await using var client = await ClusterClient.ConnectAsync(cluster.Database, cluster.ClusterId);
        var catalog = client.Grains.GetGrain<Mimicry.Grains.ICatalogGrain>(0);
        Assert.Empty(await catalog.ListLoops());

        // Kill each of the first two silos in turn (one of them was this client's gateway), keeping one alive.
        first.Kill();
        await AnswersWithinAsync(catalog, TimeSpan.FromSeconds(60));
        await cluster.StartSiloAsync();
        second.Kill();
        await AnswersWithinAsync(catalog, TimeSpan.FromSeconds(60));
    }

    private static async Task AnswersWithinAsync(Mimicry.Grains.ICatalogGrain catalog, TimeSpan limit)
    {
        var sw = System.Diagnostics.Stopwatch.StartNew();
        while (true)
        {
            try
            {
                await catalog.ListLoops().WaitAsync(TimeSpan.FromSeconds(10));
                return;
            }
            catch (Exception) when (sw.Elapsed < limit)
            {
                await Task.Delay(250);
            }
        }
    }
}
