using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Mimicry.IntegrationTests.Api;

namespace Mimicry.IntegrationTests.Observability;

/// <summary>
/// Debian's Prometheus (tests/run-all.sh installs it) scraping a running embedded server with an admin's token file,
/// as docs/observability.md tells an operator to: a query for a loop's sessions returns what <c>status</c> reports.
/// </summary>
public sealed class PrometheusScrapeTests(MetricsFixture fixture) : IClassFixture<MetricsFixture>
{
    [Fact]
    public async Task APrometheusServer_ScrapesTheServer_AndItsQueryForALoopsSessions_MatchesStatus()
    {
        var prometheus = Environment.GetEnvironmentVariable("MIMICRY_PROMETHEUS") is { Length: > 0 } p ? p : "/usr/bin/prometheus";
        Assert.True(File.Exists(prometheus), $"Debian's prometheus is not at {prometheus}: tests/run-all.sh installs it (apt-get install -y prometheus)");
        var folder = CliProcess.TempFolder("prometheus");
        Directory.CreateDirectory(folder);
        var tokenFile = Path.Combine(folder, "token");
        await File.WriteAllTextAsync(tokenFile, fixture.Server.Tokens["admin"]);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(tokenFile, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
        var port = FreePort();
        await File.WriteAllTextAsync(Path.Combine(folder, "prometheus.yml"), $"""
            global:
              scrape_interval: 1s
            scrape_configs:
              - job_name: mimicry
                metrics_path: /metrics
                authorization:
                  credentials_file: {tokenFile}
                static_configs:
                  - targets: ["127.0.0.1:{fixture.Server.Url.Port}"]
            """);
        using var process = Process.Start(new ProcessStartInfo(prometheus)
        {
            ArgumentList =
            {
                $"--config.file={Path.Combine(folder, "prometheus.yml")}", $"--storage.tsdb.path={Path.Combine(folder, "data")}",
                $"--web.listen-address=127.0.0.1:{port}", "--log.level=warn",
            },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        })!;
        var log = new System.Text.StringBuilder();
        process.ErrorDataReceived += (_, e) => { lock (log) { log.AppendLine(e.Data); } };
        process.OutputDataReceived += (_, e) => { lock (log) { log.AppendLine(e.Data); } };
        process.BeginErrorReadLine();
        process.BeginOutputReadLine();
        try
        {
            var client = fixture.Server.Client("operator");
            await client.SubmitAsync(ApiSpecs.Plain("scraped", branches: 20, days: 5));
            await MetricsFixture.WaitAsync(async () => (await client.GetLoopAsync("scraped")).State == "completed", "the loop did not complete");
            var status = await client.GetLoopAsync("scraped");
            Assert.Equal(20 * 5 * 2, status.Sessions);

            using var http = new HttpClient();
            var query = Uri.EscapeDataString("sum(mimicry_sessions_total{mimicry_loop=\"scraped\"})");
            double? seen = null;
            var deadline = DateTime.UtcNow.AddSeconds(60);
            while (DateTime.UtcNow < deadline)
            {
                try
                {
                    using var doc = JsonDocument.Parse(await http.GetStringAsync($"http://127.0.0.1:{port}/api/v1/query?query={query}"));
                    var result = doc.RootElement.GetProperty("data").GetProperty("result");
                    if (result.GetArrayLength() == 1)
                    {
                        seen = double.Parse(result[0].GetProperty("value")[1].GetString()!, CultureInfo.InvariantCulture);
                        if (seen == status.Sessions)
                        {
                            break;
                        }
                    }
                }
                catch (HttpRequestException)
                {
                    // Prometheus is still starting.
                }
                Assert.False(process.HasExited, $"prometheus exited: {log}");
                await Task.Delay(500);
            }
            Assert.True(seen == status.Sessions, $"Prometheus says {seen?.ToString(CultureInfo.InvariantCulture) ?? "nothing"}, status says {status.Sessions}; its log:\n{log}");

            // The scrape itself succeeded with the token (and only with it: the target is up).
            using var up = JsonDocument.Parse(await http.GetStringAsync($"http://127.0.0.1:{port}/api/v1/query?query=up"));
            Assert.Equal("1", up.RootElement.GetProperty("data").GetProperty("result")[0].GetProperty("value")[1].GetString());
        }
        finally
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }
    }

    private static int FreePort()
    {
        using var l = new TcpListener(IPAddress.Loopback, 0);
        l.Start();
        return ((IPEndPoint)l.LocalEndpoint).Port;
    }
}
