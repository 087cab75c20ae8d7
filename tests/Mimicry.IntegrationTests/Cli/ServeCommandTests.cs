using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Mimicry.IntegrationTests.Cli;

/// <summary>
/// <c>mimicry serve</c> as the one server of a data folder: local commands find it and go through it, the token file
/// is private, nothing unsigned gets in, and once it stops a local command serves the folder for itself.
/// </summary>
public sealed class ServeCommandTests
{
    private static string Spec(string name) => $"""
        name: {name}
        researcher: {"{"} id: ada, name: Ada Example {"}"}
        question: Which symbol does each lemma hold?
        anchor: {"{"} policy: fixed, time: 2026-11-01T09:00:00Z {"}"}
        days: 4
        branches: 3
        width: 2
        """;

    [Fact]
    public async Task Serve_IsTheFoldersOneServer_AndLocalCommandsGoThroughIt()
    {
        var data = CliProcess.TempFolder("serve");
        var specFile = Path.Combine(Path.GetTempPath(), $"served-{Guid.NewGuid():N}.yaml");
        await File.WriteAllTextAsync(specFile, Spec("served"));
        using var serve = CliProcess.Start("serve", "--data", data, "--port", "0");
        var first = await serve.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(60));
        var url = Regex.Match(first ?? "", " at (http://127\\.0\\.0\\.1:[0-9]+/) ").Groups[1].Value;
        Assert.True(url.Length > 0, $"no URL in: {first}");

        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(data, "api-token")));
        }
        using (var anonymous = new HttpClient())
        {
            Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync(url + "api/v1/loops")).StatusCode);
            using var post = await anonymous.PostAsync(url + "api/v1/loops", new StringContent(Spec("sneaky"), System.Text.Encoding.UTF8, "application/yaml"));
            Assert.Equal(HttpStatusCode.Unauthorized, post.StatusCode);
        }

        var submit = await CliProcess.RunAsync(TimeSpan.FromMinutes(1), "submit", specFile, "--data", data);
        Assert.True(submit.ExitCode == 0, submit.Stderr);
        Assert.StartsWith("Submitted loop 'served'", submit.Stdout, StringComparison.Ordinal);
        var sw = System.Diagnostics.Stopwatch.StartNew();
        while (true)
        {
            // Two local commands at once: both reach the running server, neither waits for the other's lock.
            var both = await Task.WhenAll(CliProcess.RunAsync(TimeSpan.FromMinutes(1), "status", "--data", data, "--json"), CliProcess.RunAsync(TimeSpan.FromMinutes(1), "status", "--data", data, "--json"));
            Assert.All(both, r => Assert.True(r.ExitCode == 0, r.Stderr));
            var loop = JsonDocument.Parse(both[0].Stdout).RootElement.EnumerateArray().Single();
            Assert.Equal("served", loop.GetProperty("loop").GetString());
            if (loop.GetProperty("status").GetString() == "completed")
            {
                break;
            }
            Assert.True(sw.Elapsed < TimeSpan.FromSeconds(60), both[0].Stdout);
        }
        var second = await CliProcess.RunAsync(TimeSpan.FromMinutes(1), "serve", "--data", data);
        Assert.Equal(2, second.ExitCode);
        Assert.StartsWith($"mimicry: a server already runs for {data} at {url}", second.Stderr.Trim(), StringComparison.Ordinal);
        var audit = await CliProcess.RunAsync(TimeSpan.FromMinutes(1), "audit", "--data", data, "--json");
        Assert.Contains(JsonDocument.Parse(audit.Stdout).RootElement.EnumerateArray(), e => e.GetProperty("action").GetString() == "loop.submit" && e.GetProperty("outcome").GetString() == "ok");

        using (var term = System.Diagnostics.Process.Start("kill", ["-TERM", serve.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
        {
            await term.WaitForExitAsync();
        }
        await serve.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));
        Assert.Equal(0, serve.ExitCode);
        Assert.False(File.Exists(Path.Combine(data, "server.json")));

        // With no server, a command serves the folder for itself, and the loop reads as before.
        var after = await CliProcess.RunAsync(TimeSpan.FromMinutes(1), "notebook", "served", "--data", data, "--format", "jsonl", "--branch", "0");
        Assert.True(after.ExitCode == 0, after.Stderr);
        Assert.Equal(4 * 2, after.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
    }

    [Fact]
    public async Task Run_PrintsWhereItsApiListens()
    {
        var data = CliProcess.TempFolder("run-url");
        var specFile = Path.Combine(Path.GetTempPath(), $"run-url-{Guid.NewGuid():N}.yaml");
        await File.WriteAllTextAsync(specFile, Spec("run-url"));
        var run = await CliProcess.RunAsync(TimeSpan.FromMinutes(2), "run", specFile, "--data", data);
        Assert.True(run.ExitCode == 0, run.Stderr);
        Assert.Matches($"^API: http://127\\.0\\.0\\.1:[0-9]+/api/reference \\(token in {Regex.Escape(Path.Combine(data, "api-token"))}\\)", run.Stderr);
        Assert.Matches("\nWeb UI: http://127\\.0\\.0\\.1:[0-9]+/ui/ \\(sign in with that token\\)", run.Stderr);
        Assert.Contains("Loop 'run-url' completed", run.Stdout, StringComparison.Ordinal);
    }
}
