using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using Mimicry.Tests.Shared;
using Npgsql;

namespace Mimicry.Benchmarks;

/// <summary>
/// Cluster mode on a throwaway PostgreSQL (tests/pg.sh), silos as separate processes:
/// (1) append throughput of a 3-silo cluster beside pgbench's single-row INSERT rate on the same server, same run;
/// (2) failover time (SIGKILL of a silo → every branch makes progress again) with default and tuned membership.
/// </summary>
internal static partial class ClusterBenchmark
{
    public static async Task<int> RunAsync(bool quick, bool failoverOnly)
    {
        using var server = TestPostgres.StartPrivate();
        var bin = PgBin();
        Console.WriteLine($"Mimicry cluster benchmark: {Environment.ProcessorCount} cores, {(quick ? "quick" : "full")} mode, PostgreSQL at {new NpgsqlConnectionStringBuilder(server.ConnectionString).Port}, {DateTime.UtcNow:yyyy-MM-dd HH:mm}Z");

        if (!failoverOnly)
        {
            await ThroughputAsync(bin, server.ConnectionString, quick);
        }
        foreach (var membership in new[] { "tuned", "default" })
        {
            var times = new List<double>();
            for (var round = 0; round < (quick ? 1 : 3); round++)
            {
                times.Add(await FailoverSecondsAsync(server.ConnectionString, membership));
            }
            times.Sort();
            Console.WriteLine($"failover  membership {membership,-8} kill -> all branches progressing: median {times[times.Count / 2],5:0.0} s (runs: {string.Join(", ", times.Select(t => t.ToString("0.0", CultureInfo.InvariantCulture)))})");
        }
        return 0;
    }

    private static async Task ThroughputAsync(string bin, string server, bool quick)
    {
        var pgbench = await PgbenchInsertRateAsync(bin, server, TimeSpan.FromSeconds(quick ? 5 : 15));
        Console.WriteLine($"baseline  pgbench single-row INSERT, 8 clients, synced commits  {pgbench,10:N0} rows/s");
        foreach (var entries in new[] { 1, 4 })
        {
            var store = await StoreAppendRateAsync(server, entries, TimeSpan.FromSeconds(quick ? 5 : 15));
            Console.WriteLine($"store     PostgresNotebookStore appends, 1 day + {entries} entr{(entries == 1 ? "y " : "ies")}, 2000 appenders {store,10:N0} days/s  = {store / pgbench:0.00} x pgbench rows/s ({store * (1 + entries) / pgbench:0.00} x in rows)");
        }
        var days = await ClusterAppendRateAsync(server, quick ? 600 : 2000, quick ? 10 : 20);
        Console.WriteLine($"cluster   3 silos, a loop end to end (best-of-4: 1 entry per day)  {days.Days,10:N0} days/s  = {days.Days / pgbench:0.00} x pgbench rows/s");
        Console.WriteLine($"cluster   same run, rows written (days + entries)                {days.Rows,10:N0} rows/s  = {days.Rows / pgbench:0.00} x pgbench rows/s");
    }

    private static string PgBin()
    {
        foreach (var d in Directory.Exists("/usr/lib/postgresql") ? Directory.GetDirectories("/usr/lib/postgresql") : [])
        {
            if (File.Exists(Path.Combine(d, "bin", "pgbench")))
            {
                return Path.Combine(d, "bin");
            }
        }
        return "/usr/bin";
    }

    private static async Task<double> PgbenchInsertRateAsync(string bin, string server, TimeSpan duration)
    {
        var cs = new NpgsqlConnectionStringBuilder(TestPostgres.CreateDatabase("pgbench", server));
        await using (var c = new NpgsqlConnection(cs.ConnectionString))
        {
            await c.OpenAsync();
            // Shaped like a notebook row: a text key, an integer and a text body.
            await new NpgsqlCommand("CREATE TABLE rows(k text NOT NULL, n integer NOT NULL, body text NOT NULL, PRIMARY KEY(k, n))", c).ExecuteNonQueryAsync();
        }
        var script = Path.Combine(Path.GetTempPath(), $"mimicry-pgbench-{Guid.NewGuid():N}.sql");
        await File.WriteAllTextAsync(script, "\\set n random(1, 2000000000)\nINSERT INTO rows(k, n, body) VALUES ('bench/' || :client_id, :n, 'an entry of about the size a synthetic researcher writes in a day') ON CONFLICT DO NOTHING;\n");
        var psi = new ProcessStartInfo(Path.Combine(bin, "pgbench")) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[] { "-n", "-f", script, "-c", "8", "-j", "2", "-T", ((int)duration.TotalSeconds).ToString(CultureInfo.InvariantCulture),
            "-h", cs.Host!, "-p", cs.Port.ToString(CultureInfo.InvariantCulture), "-U", cs.Username!, cs.Database! })
        {
            psi.ArgumentList.Add(a);
        }
        psi.Environment["PGPASSWORD"] = cs.Password;
        using var p = Process.Start(psi)!;
        var output = await p.StandardOutput.ReadToEndAsync();
        var error = await p.StandardError.ReadToEndAsync();
        await p.WaitForExitAsync();
        var m = Tps().Match(output);
        return m.Success ? double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture) : throw new InvalidOperationException($"pgbench failed: {output} {error}");
    }

    /// <summary>What one silo's store sustains: 2000 branches appending day after day, as a loop's branches do.</summary>
    private static async Task<double> StoreAppendRateAsync(string server, int entries, TimeSpan duration)
    {
        await using var store = await Mimicry.Storage.Postgres.PostgresNotebookStore.OpenAsync(TestPostgres.CreateDatabase("store", server), migrate: true);
        var body = "an entry of about the size a synthetic researcher writes in a day";
        long appended = 0;
        var sw = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, 2000).Select(async branch =>
        {
            for (var day = 1; sw.Elapsed < duration; day++)
            {
                var list = Enumerable.Range(0, entries).Select(i => new Mimicry.Storage.EntryRecord(i, i, $"s/{branch}/{day}/{i}", day, "synthetic", body, "h")).ToList();
                await store.AppendDayAsync(new Mimicry.Storage.DayRecord("bench", branch, day, DateTimeOffset.UnixEpoch, "best-of-4", entries, entries, 2, list));
                Interlocked.Increment(ref appended);
            }
        }));
        return appended / sw.Elapsed.TotalSeconds;
    }

    private static async Task<(double Days, double Rows)> ClusterAppendRateAsync(string server, int branches, int days)
    {
        await using var cluster = new TestCluster(TestPostgres.CreateDatabase("append", server));
        for (var i = 0; i < 3; i++)
        {
            await cluster.StartSiloAsync();
        }
        var spec = Path.Combine(Path.GetTempPath(), $"mimicry-append-{Guid.NewGuid():N}.yaml");
        await File.WriteAllTextAsync(spec, Spec("append", branches, days, "0ms"));
        var sw = Stopwatch.StartNew();
        Check(await cluster.CliAsync("submit", spec));
        await cluster.WaitForStateAsync("append", "Completed", TimeSpan.FromMinutes(10));
        var seconds = sw.Elapsed.TotalSeconds;
        var total = (long)branches * days;
        var entries = (await cluster.EntryKeysAsync("append")).Count;
        return (total / seconds, (total + entries) / seconds);
    }

    private static async Task<double> FailoverSecondsAsync(string server, string membership)
    {
        await using var cluster = new TestCluster(TestPostgres.CreateDatabase("failover", server), membership,
            new Dictionary<string, string> { ["Mimicry__Loops__WatchPeriod"] = "00:05:00" });
        for (var i = 0; i < 3; i++)
        {
            await cluster.StartSiloAsync();
        }
        var spec = Path.Combine(Path.GetTempPath(), $"mimicry-failover-{Guid.NewGuid():N}.yaml");
        await File.WriteAllTextAsync(spec, Spec("failover", 60, 5000, "100ms"));
        Check(await cluster.CliAsync("submit", spec));
        while ((await cluster.DaysPerBranchAsync("failover")).Values.Sum() < 60 * 20)
        {
            await Task.Delay(100);
        }
        var atKill = await cluster.DaysPerBranchAsync("failover");
        var killed = Stopwatch.StartNew();
        cluster.Silos[1].Kill();
        var waiting = Enumerable.Range(0, 60).ToHashSet();
        var last = 0.0;
        while (waiting.Count > 0)
        {
            if (killed.Elapsed > TimeSpan.FromMinutes(3))
            {
                throw new TimeoutException($"{waiting.Count} branches made no progress within 3 minutes of the kill");
            }
            await Task.Delay(50);
            var now = await cluster.DaysPerBranchAsync("failover");
            var t = killed.Elapsed.TotalSeconds;
            // A branch counts as progressing once it commits a day it had not committed at the kill, plus one
            // more: the first may have been in flight on a survivor already.
            foreach (var b in waiting.Where(b => now.GetValueOrDefault(b) >= atKill.GetValueOrDefault(b) + 2).ToList())
            {
                waiting.Remove(b);
                last = t;
            }
        }
        await cluster.CliAsync("cancel", "failover");
        return last;
    }

    private static string Spec(string name, int branches, int days, string latency) => Workloads.Yaml(name, branches, days, latency, lemmas: 10_000);

    private static void Check(CliProcess.Result r)
    {
        if (r.ExitCode != 0)
        {
            throw new InvalidOperationException($"mimicry failed: {r.Stderr}");
        }
    }

    [GeneratedRegex(@"tps = ([0-9.]+)")]
    private static partial Regex Tps();
}
