using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Mimicry.IntegrationTests.Models;
using Xunit.Abstractions;

namespace Mimicry.IntegrationTests.Fault;

/// <summary>
/// The hostile model server run (issue 12): a loop through the real CLI against an OpenAI-wire server that answers
/// with 429 storms carrying Retry-After, 500s whose message is escape sequences, truncated JSON, 10 MB bodies,
/// answers that never end, and good answers that start with escape sequences from a model that names itself in
/// them. The loop completes or stops with one clear reason; no request is sent while a pause the server announced
/// lasts; what the terminal shows is inert; the process's peak memory stays bounded (reported).
/// </summary>
[Collection(TimingSensitive.Name)]
public sealed class HostileModelServerTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const string Escapes = "\u001b[2J\u001b]0;owned\u0007\u202e";
    private FakeOpenAiServer _server = null!;

    public async Task InitializeAsync() => _server = await FakeOpenAiServer.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    /// <summary>Requests 30–44 are a storm (every one throttled); outside it, a fixed mix of misbehaviour by request number.</summary>
    private static FakeReply Hostile(RecordedRequest r) => r.Number switch
    {
        >= 30 and <= 44 => FakeReply.Throttle,
        _ when r.Number % 5 == 0 => FakeReply.Throttle,
        _ when r.Number % 7 == 1 => FakeReply.ServerError,
        _ when r.Number % 11 == 2 => FakeReply.Malformed,
        _ when r.Number % 13 == 3 => FakeReply.Huge,
        _ when r.Number % 17 == 4 => FakeReply.Endless,
        _ => FakeReply.Ok,
    };

    [Fact]
    public async Task ALoopAgainstAHostileServer_EndsWithOneClearReason_NeverSendsInsideAPause_AndStaysBounded()
    {
        _server.RetryAfter = "1";
        _server.Behavior = Hostile;
        _server.ServerErrorMessage = "overloaded " + Escapes;
        _server.AnswerPrefix = Escapes;
        _server.AnsweredModel = "test-model-1" + Escapes;
        var data = CliProcess.TempFolder("hostile");
        var spec = Path.Combine(Path.GetTempPath(), $"hostile-{Guid.NewGuid():N}.yaml");
        await File.WriteAllTextAsync(spec, OpenAiSpecs.Yaml("hostile", _server.BaseUrl, branches: 6, days: 6, width: 2, extra: "  maxConcurrency: 8"));
        var env = new Dictionary<string, string> { ["MIMICRY_TEST_KEY"] = "sk-test-secret" };

        var clock = Stopwatch.StartNew();
        using var process = CliProcess.Start(env, "run", spec, "--data", data);
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        long peakKb = 0;
        using (var limit = new CancellationTokenSource(TimeSpan.FromMinutes(5)))
        {
            while (!process.HasExited)
            {
                peakKb = Math.Max(peakKb, PeakResidentKb(process.Id));
                try
                {
                    await Task.Delay(100, limit.Token);
                }
                catch (OperationCanceledException)
                {
                    process.Kill(entireProcessTree: true);
                    Assert.Fail("the loop did not end within 5 minutes against the hostile server");
                }
            }
        }
        await process.WaitForExitAsync();
        var (outText, errText) = (await stdout, await stderr);
        var elapsed = clock.Elapsed;

        var status = await CliProcess.RunAsync(TimeSpan.FromMinutes(1), env, "status", "--data", data, "--json");
        using var doc = JsonDocument.Parse(status.Stdout);
        var loop = doc.RootElement.EnumerateArray().Single();
        var state = loop.GetProperty("status").GetString();
        var reason = loop.TryGetProperty("reason", out var r) ? r.GetString() : null;

        // No request may arrive while a pause announced by an earlier throttle lasts (a little slack for requests
        // already on the wire when the 429 went out).
        var requests = _server.Requests.OrderBy(q => q.At).ToList();
        var pauses = _server.ThrottledAt.OrderBy(t => t).ToList();
        // Slack: a request the client sent just before the 429 reached it can arrive a little after it left (more on
        // a loaded machine); the bug this guards against sent requests 0.2-0.95 s into the pause. 150 ms: a CI run
        // (2026-11-30) saw one request arrive 103 ms after a 429 left, one most likely admitted before that 429
        // reached the client (admission and the bytes leaving are not one step); still well short of the bug's range.
        // 200 ms: a fresh-clone run on 2026-12-01, with the other test classes running beside it on two cores, saw two
        // requests arrive together 155 and 159 ms into a pause (one stall releasing two sends admitted before it); the
        // window checked, 200-800 ms into each pause, still holds most of the bug's range.
        var slack = TimeSpan.FromMilliseconds(200);
        var offsets = requests.SelectMany(q => pauses.Where(p => q.At > p + slack && q.At < p + TimeSpan.FromSeconds(1) - slack).Select(p => (q.At - p).TotalMilliseconds).Take(1)).ToList();
        var inside = offsets.Count;
        var kinds = requests.GroupBy(q => Hostile(q)).OrderBy(g => g.Key).Select(g => $"{g.Key} {g.Count()}");

        var report = new StringBuilder();
        report.AppendLine(CultureInfo.InvariantCulture, $"hostile model server run {DateTime.UtcNow:yyyy-MM-dd HH:mm}Z, {Environment.ProcessorCount} cores: 6 branches x 6 days x width 2, maxConcurrency 8, retries 6, request timeout 2 s");
        report.AppendLine(CultureInfo.InvariantCulture, $"requests {requests.Count}: {string.Join(", ", kinds)}");
        report.AppendLine(CultureInfo.InvariantCulture, $"pauses announced {pauses.Count} (Retry-After: 1), requests sent inside a pause {inside}{(inside == 0 ? "" : $" ({string.Join(", ", offsets.Select(o => $"{o:0} ms"))} into it)")}");
        report.AppendLine(CultureInfo.InvariantCulture, $"outcome: exit {process.ExitCode}, loop {state}{(reason is null ? "" : $" ({reason})")}, {loop.GetProperty("entries").GetInt64()} entries, in {elapsed.TotalSeconds:0} s");
        report.AppendLine(CultureInfo.InvariantCulture, $"peak resident memory of the mimicry process {peakKb / 1024.0:0} MiB");
        output.WriteLine(report.ToString());
        if (Environment.GetEnvironmentVariable("MIMICRY_FAULT_REPORT") is { Length: > 0 } file)
        {
            await File.AppendAllTextAsync(file, report.ToString());
        }

        Assert.True(process.ExitCode is 0 or 1, $"exit {process.ExitCode}: {errText}");
        Assert.True(state is "completed" || (state is "failed" or "stopped" && reason is { Length: > 0 } && !reason.Contains('\n')), report.ToString());
        Assert.Equal(0, inside);
        Assert.True(pauses.Count >= 15, "the storm did not happen");
        Assert.Contains(requests, q => Hostile(q) == FakeReply.Huge);
        Assert.Contains(requests, q => Hostile(q) == FakeReply.Endless);
        foreach (var (what, text) in new[] { ("run's stdout", outText), ("run's stderr", errText), ("status", status.Stdout) })
        {
            foreach (var bad in new[] { "\u001b", "\u202e", "   at " })
            {
                var at = text.IndexOf(bad, StringComparison.Ordinal);
                Assert.True(at < 0, $"{what} shows {JsonSerializer.Serialize(bad)} raw: …{JsonSerializer.Serialize(text.Substring(Math.Max(0, at - 200), Math.Min(300, text.Length - Math.Max(0, at - 200))))}…");
            }
        }
        Assert.True(peakKb < 512 * 1024, $"peak resident memory {peakKb / 1024} MiB");
    }

    /// <summary>The process's peak resident set so far (VmHWM), in KiB; 0 once it has gone.</summary>
    private static long PeakResidentKb(int pid)
    {
        try
        {
            var line = File.ReadLines($"/proc/{pid}/status").FirstOrDefault(l => l.StartsWith("VmHWM:", StringComparison.Ordinal));
            return line is null ? 0 : long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture);
        }
        catch (IOException)
        {
            return 0;
        }
    }
}
