using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Mimicry.IntegrationTests.Cli;

/// <summary>The standard OTEL_EXPORTER_OTLP_* variables send a run's spans to an OTLP/HTTP endpoint.</summary>
public sealed class TelemetryExportTests : IDisposable
{
    private readonly string _folder = CliProcess.TempFolder("otlp");
    private readonly string _spec = Path.Combine(Path.GetTempPath(), $"mimicry-otlp-{Guid.NewGuid():N}.yaml");

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        if (Directory.Exists(_folder))
        {
            Directory.Delete(_folder, recursive: true);
        }
        File.Delete(_spec);
    }

    [Fact]
    public async Task Run_WithOtlpEndpoint_PostsItsDaySpans()
    {
        var port = FreePort();
        using var listener = new HttpListener();
        listener.Prefixes.Add($"http://127.0.0.1:{port}/");
        listener.Start();
        var received = new List<(string Path, byte[] Body)>();
        var serving = Task.Run(async () =>
        {
            while (listener.IsListening)
            {
                HttpListenerContext ctx;
                try
                {
                    ctx = await listener.GetContextAsync();
                }
                catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException)
                {
                    return;
                }
                using var body = new MemoryStream();
                await ctx.Request.InputStream.CopyToAsync(body);
                lock (received)
                {
                    received.Add((ctx.Request.Url!.AbsolutePath, body.ToArray()));
                }
                ctx.Response.StatusCode = 200;
                ctx.Response.Close();
            }
        });

        await File.WriteAllTextAsync(_spec, Specs.Yaml("otlp", branches: 2, days: 3, lemmas: 50));
        var env = new Dictionary<string, string>
        {
            ["OTEL_EXPORTER_OTLP_ENDPOINT"] = $"http://127.0.0.1:{port}",
            ["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf",
        };
        var r = await CliProcess.RunAsync(TimeSpan.FromMinutes(2), env, "run", _spec, "--data", _folder);
        Assert.True(r.ExitCode == 0, r.Stderr);
        listener.Stop();
        await serving;

        List<(string Path, byte[] Body)> traces;
        lock (received)
        {
            traces = received.Where(x => x.Path == "/v1/traces").ToList();
        }
        Assert.NotEmpty(traces);
        // OTLP protobuf carries span names as plain UTF-8: count the day spans (2 branches × 3 days).
        var text = string.Concat(traces.Select(t => Encoding.UTF8.GetString(t.Body)));
        // "mimicry.day" is a span name and the prefix of the attribute "mimicry.day.number", one each per day span.
        Assert.Equal(6, CountOf(text, "mimicry.day.number"));
        Assert.Equal(6, CountOf(text, "mimicry.day") - CountOf(text, "mimicry.day.number"));
        Assert.Contains("mimicry.session", text, StringComparison.Ordinal);
        Assert.Contains("mimicry.append", text, StringComparison.Ordinal);
    }

    private static int CountOf(string text, string word)
    {
        int count = 0, at = 0;
        while ((at = text.IndexOf(word, at, StringComparison.Ordinal)) >= 0)
        {
            count++;
            at += word.Length;
        }
        return count;
    }

    private static int FreePort()
    {
        using var l = new TcpListener(IPAddress.Loopback, 0);
        l.Start();
        return ((IPEndPoint)l.LocalEndpoint).Port;
    }
}
