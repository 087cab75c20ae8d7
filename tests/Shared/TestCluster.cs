using System.Diagnostics;
using System.Text;
using Npgsql;

namespace Mimicry.Tests.Shared;

/// <summary>
/// Silos as real OS processes (<c>mimicry silo</c>) sharing one PostgreSQL database, on free non-default ports and a
/// cluster id of their own, so nothing else on the machine can join or collide.
/// </summary>
internal sealed class TestCluster : IAsyncDisposable
{
    private readonly List<SiloProcess> _silos = [];
    private readonly string _direct;

    public TestCluster(string database, string membership = "tuned", IReadOnlyDictionary<string, string>? extra = null)
    {
        Database = database;
        // The test's own reads use fresh connections, so a restarted server doesn't hand them a dead one.
        _direct = new NpgsqlConnectionStringBuilder(database) { Pooling = false }.ConnectionString;
        Membership = membership;
        Extra = extra ?? new Dictionary<string, string>();
    }

    public string Database { get; }

    public string ClusterId { get; } = "test-" + Guid.NewGuid().ToString("N")[..12];

    public string Membership { get; }

    public IReadOnlyDictionary<string, string> Extra { get; }

    public IReadOnlyList<SiloProcess> Silos => _silos;

    public IEnumerable<SiloProcess> Running => _silos.Where(s => !s.HasExited);

    /// <summary>The admin token made with 'mimicry db create-admin' once the first silo is up.</summary>
    public string? AdminToken { get; private set; }

    /// <summary>How a client reaches the cluster: a running silo's HTTP API and the admin's token. No database credentials.</summary>
    public Dictionary<string, string> ClientEnvironment() => new()
    {
        ["MIMICRY_SERVER"] = (Running.FirstOrDefault() ?? throw new InvalidOperationException("no silo runs")).ApiUrl.ToString(),
        ["MIMICRY_TOKEN"] = AdminToken ?? throw new InvalidOperationException("no admin token yet"),
    };

    /// <summary>An API client signed in as the admin, on the first running silo.</summary>
    public Mimicry.Client.MimicryClient Client(string? token = null) =>
        new((Running.FirstOrDefault() ?? throw new InvalidOperationException("no silo runs")).ApiUrl, token ?? AdminToken!);

    public async Task<SiloProcess> StartSiloAsync()
    {
        SiloProcess silo;
        for (var attempt = 1; ; attempt++)
        {
            // A free port is found by binding and releasing it; another test's process can take it before the silo
            // binds it ("Address already in use"): then start again on fresh ports.
            var apiPort = TestPostgres.FreePort();
            silo = SiloProcess.Start(SiloEnvironment(TestPostgres.FreePort(), 0, apiPort), new Uri($"http://127.0.0.1:{apiPort}/"));
            _silos.Add(silo);
            try
            {
                await silo.WaitUpAsync(TimeSpan.FromSeconds(90));
                break;
            }
            catch (InvalidOperationException ex) when (attempt < 3 && ex.Message.Contains("Address already in use", StringComparison.Ordinal))
            {
                _silos.Remove(silo);
                silo.Dispose();
            }
        }
        if (AdminToken is null)
        {
            var admin = await CliProcess.RunAsync(TimeSpan.FromSeconds(60), new Dictionary<string, string> { ["MIMICRY_CLUSTER"] = Database }, "db", "create-admin", "test-admin");
            if (admin.ExitCode != 0)
            {
                throw new InvalidOperationException($"db create-admin failed ({admin.ExitCode}): {admin.Stderr}");
            }
            AdminToken = admin.Stdout.Trim();
        }
        return silo;
    }

    public Dictionary<string, string> SiloEnvironment(int siloPort, int gatewayPort, int apiPort = 0)
    {
        var env = new Dictionary<string, string>
        {
            ["Mimicry__Cluster__Database"] = Database,
            ["Mimicry__Cluster__ClusterId"] = ClusterId,
            ["Mimicry__Cluster__SiloPort"] = siloPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Mimicry__Cluster__GatewayPort"] = gatewayPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Mimicry__Cluster__ApiUrls"] = $"http://127.0.0.1:{apiPort.ToString(System.Globalization.CultureInfo.InvariantCulture)}",
            ["Mimicry__Cluster__AdvertisedAddress"] = "127.0.0.1",
            ["Mimicry__Cluster__Membership"] = Membership,
            // Short enough that a test sees the loop's own watch at work too, long enough not to matter.
            ["Mimicry__Loops__WatchPeriod"] = "00:00:05",
            // As deploy/ runs silos: server GC.
            ["DOTNET_gcServer"] = "1",
        };
        foreach (var (k, v) in Extra)
        {
            env[k] = v;
        }
        return env;
    }

    /// <summary>An operator's database command ('db migrate', 'db create-admin'): the connection string in $MIMICRY_CLUSTER.</summary>
    public Task<CliProcess.Result> DbAsync(params string[] args) =>
        CliProcess.RunAsync(TimeSpan.FromSeconds(90), new Dictionary<string, string> { ["MIMICRY_CLUSTER"] = Database }, ["db", .. args]);

    public Task<CliProcess.Result> CliAsync(params string[] args) => CliProcess.RunAsync(TimeSpan.FromSeconds(90), ClientEnvironment(), args);

    /// <summary>Days committed per branch, read straight from the database.</summary>
    public async Task<Dictionary<int, int>> DaysPerBranchAsync(string loop)
    {
        await using var c = new NpgsqlConnection(_direct);
        await c.OpenAsync();
        await using var cmd = new NpgsqlCommand("SELECT branch, count(*) FROM mimicry_days WHERE loop = $1 GROUP BY branch", c);
        cmd.Parameters.AddWithValue(loop);
        await using var r = await cmd.ExecuteReaderAsync();
        var d = new Dictionary<int, int>();
        while (await r.ReadAsync())
        {
            d[r.GetInt32(0)] = (int)r.GetInt64(1);
        }
        return d;
    }

    public async Task<string?> LoopStateAsync(string loop)
    {
        await using var c = new NpgsqlConnection(_direct);
        await c.OpenAsync();
        await using var cmd = new NpgsqlCommand("SELECT state FROM mimicry_loops WHERE loop = $1", c);
        cmd.Parameters.AddWithValue(loop);
        return (string?)await cmd.ExecuteScalarAsync();
    }

    /// <summary>Every committed entry as "branch/day/seq hash", for checking that nothing acknowledged was lost or changed.</summary>
    public async Task<HashSet<string>> EntryKeysAsync(string loop)
    {
        await using var c = new NpgsqlConnection(_direct);
        await c.OpenAsync();
        await using var cmd = new NpgsqlCommand("SELECT branch, day, seq, hash FROM mimicry_entries WHERE loop = $1", c);
        cmd.Parameters.AddWithValue(loop);
        await using var r = await cmd.ExecuteReaderAsync();
        var set = new HashSet<string>();
        while (await r.ReadAsync())
        {
            set.Add($"{r.GetInt32(0)}/{r.GetInt32(1)}/{r.GetInt32(2)} {r.GetString(3)}");
        }
        return set;
    }

    /// <summary>Waits until the loop has committed at least <paramref name="days"/> days in all; fails with the silos' logs after <paramref name="limit"/>.</summary>
    public async Task WaitForDaysAsync(string loop, double days, TimeSpan? limit = null, Func<Task>? eachPoll = null)
    {
        var max = limit ?? TimeSpan.FromMinutes(2);
        var sw = Stopwatch.StartNew();
        while (true)
        {
            var done = (await DaysPerBranchAsync(loop)).Values.Sum();
            if (done >= days)
            {
                return;
            }
            if (sw.Elapsed > max)
            {
                throw new TimeoutException($"loop {loop}: {done} of the {days:0} days waited for after {max}; silo logs:\n{Logs()}");
            }
            if (eachPoll is not null)
            {
                await eachPoll();
            }
            await Task.Delay(100);
        }
    }

    public async Task WaitForStateAsync(string loop, string state, TimeSpan limit)
    {
        var sw = Stopwatch.StartNew();
        while (await LoopStateAsync(loop) != state)
        {
            if (sw.Elapsed > limit)
            {
                var days = await DaysPerBranchAsync(loop);
                throw new TimeoutException($"loop {loop} not {state} after {limit}: {days.Values.Sum()} days committed; silo logs:\n{Logs()}");
            }
            await Task.Delay(200);
        }
    }

    public string Logs()
    {
        var sb = new StringBuilder();
        foreach (var s in _silos)
        {
            sb.AppendLine($"--- silo pid {s.Pid} (exited: {s.HasExited}) ---").AppendLine(s.Output);
        }
        return sb.ToString();
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var s in _silos)
        {
            s.Dispose();
        }
        await Task.CompletedTask;
    }
}

/// <summary>One <c>mimicry silo</c> process, with its output captured.</summary>
internal sealed class SiloProcess : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly TaskCompletionSource _up = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private SiloProcess(Process process, Uri apiUrl)
    {
        _process = process;
        ApiUrl = apiUrl;
        _process.OutputDataReceived += (_, e) => OnLine(e.Data);
        _process.ErrorDataReceived += (_, e) => OnLine(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public static SiloProcess Start(IReadOnlyDictionary<string, string> env, Uri? apiUrl = null) =>
        new(CliProcess.Start(env, "silo"), apiUrl ?? new Uri(env.TryGetValue("Mimicry__Cluster__ApiUrls", out var u) ? u + "/" : "http://127.0.0.1:8080/"));

    /// <summary>Where this silo serves the HTTP API.</summary>
    public Uri ApiUrl { get; }

    public int Pid => _process.Id;

    public bool HasExited => _process.HasExited;

    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    private void OnLine(string? line)
    {
        if (line is null)
        {
            return;
        }
        lock (_output)
        {
            _output.AppendLine(line);
        }
        if (line.Contains("mimicry silo: up in cluster", StringComparison.Ordinal))
        {
            _up.TrySetResult();
        }
    }

    public async Task WaitUpAsync(TimeSpan limit)
    {
        var exited = _process.WaitForExitAsync();
        var first = await Task.WhenAny(_up.Task, exited, Task.Delay(limit));
        if (first != _up.Task)
        {
            throw new InvalidOperationException($"silo did not come up (exited: {_process.HasExited}); output:\n{Output}");
        }
    }

    /// <summary>The process ends at once, with no chance to clean up: what a crash or OOM kill does.</summary>
    public void Kill()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit();
        }
    }

    /// <summary>Asks the silo to stop (SIGTERM), as an orchestrator does before replacing it.</summary>
    public void Terminate()
    {
        using var kill = Process.Start("kill", ["-TERM", Pid.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        kill.WaitForExit();
    }

    public async Task<int> WaitForExitAsync(TimeSpan limit)
    {
        using var cts = new CancellationTokenSource(limit);
        await _process.WaitForExitAsync(cts.Token);
        return _process.ExitCode;
    }

    public void Dispose()
    {
        Kill();
        _process.Dispose();
    }
}
