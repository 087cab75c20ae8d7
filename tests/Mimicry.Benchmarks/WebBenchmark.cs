using System.Diagnostics;
using System.Globalization;
using Microsoft.Playwright;
using Mimicry.Api.Auth;
using Mimicry.Client;
using Mimicry.Hosting;
using Mimicry.Storage.Access;
using Mimicry.Storage.Sqlite;

namespace Mimicry.Benchmarks;

/// <summary>
/// The web UI as people use it, in Debian's Chromium (docs/benchmarks.md): the timeline of a 1,000-branch × 30-day
/// loop with 20 forks, beside the timeline of a 1-branch loop in the same run (first contentful paint, and the
/// moment its first rows are drawn); and the inbox and review actions timed in the browser (fetch to answer),
/// beside GET /healthz from the same page.
/// </summary>
internal static class WebBenchmark
{
    private const int Forks = 20;

    public static async Task<int> RunAsync(bool quick)
    {
        var branches = quick ? 200 : 1000;
        var folder = Path.Combine(Path.GetTempPath(), $"mimicry-webbench-{Guid.NewGuid():N}");
        await using var store = SqliteNotebookStore.Open(folder);
        await using var host = await EmbeddedHost.StartAsync(store, store.Access, TraceExport.None, new EmbeddedHostOptions());
        var tokens = new Dictionary<string, string>();
        foreach (var (name, role) in new[] { ("bench", Roles.Admin), ("alice", Roles.Researcher), ("rita", Roles.Reviewer) })
        {
            await store.Access.AddUserAsync(new UserRecord(name, role, DateTimeOffset.UtcNow, "bench"));
            var (record, token) = ApiTokens.Create(name, "bench", DateTimeOffset.UtcNow, null, "bench");
            await store.Access.AddTokenAsync(record);
            tokens[name] = token;
        }
        using var client = new MimicryClient(host.ApiUrl!, tokens["bench"]);
        Console.WriteLine($"Mimicry web benchmark: {Environment.ProcessorCount} cores, Chromium headless, {DateTime.UtcNow:yyyy-MM-dd HH:mm}Z");

        await client.SubmitAsync(Yaml("tiny", 1, 30), "tiny.yaml");
        await client.SubmitAsync(Yaml("big", branches, 30), "big.yaml");
        await UntilAsync(async () => (await client.GetLoopAsync("big")).State == "completed" && (await client.GetLoopAsync("tiny")).State == "completed");
        for (var i = 0; i < Forks; i++)
        {
            await client.ForkAsync("big", new ForkRequest(i * (branches / Forks), 5 + i));
        }
        await UntilAsync(async () => (await client.ListLoopsAsync()).Count(l => l.ForkedFrom is not null && l.State == "completed") == Forks);
        await client.SubmitAsync(Desk(), "desk.yaml");
        await UntilAsync(async () => (await client.ListReviewsAsync("desk")).Count == 40 && (await client.ListProbesAsync("desk")).Count >= 40);

        using var playwright = await Playwright.CreateAsync();
        var chromium = Environment.GetEnvironmentVariable("MIMICRY_CHROMIUM") is { Length: > 0 } c ? c : "/usr/bin/chromium";
        await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions { ExecutablePath = chromium, Headless = true, Args = ["--no-sandbox"] });

        var page = await SignedInAsync(browser, host.ApiUrl!, tokens["bench"]);
        foreach (var (loop, label) in new[] { ("tiny", "1 branch, 30 days (baseline)"), ("big", $"{branches:N0} branches x 30 days, {Forks} forks") })
        {
            var runs = new List<(double Fcp, double Rows)>();
            for (var i = 0; i < (quick ? 3 : 7); i++)
            {
                runs.Add(await TimelineAsync(page, host.ApiUrl!, loop));
            }
            var fcp = Median(runs.Select(r => r.Fcp));
            var rows = Median(runs.Select(r => r.Rows));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"timeline  {label,-40} first contentful paint {fcp,7:0} ms   rows drawn {rows,7:0} ms (median of {runs.Count})"));
            Timelines[loop] = (fcp, rows);
        }
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"timeline  ratio big / tiny: first paint {Timelines["big"].Fcp / Timelines["tiny"].Fcp:0.00}x, rows drawn {Timelines["big"].Rows / Timelines["tiny"].Rows:0.00}x"));

        // Actions, timed in the page: fetch() to the answer, as the UI sends them (cookie + CSRF header).
        var researcher = await SignedInAsync(browser, host.ApiUrl!, tokens["alice"]);
        var reviewer = await SignedInAsync(browser, host.ApiUrl!, tokens["rita"]);
        var healthz = new List<double>();
        for (var i = 0; i < 40; i++)
        {
            healthz.Add(await TimedAsync(researcher, "GET", "/healthz", null));
        }
        var probes = (await client.ListProbesAsync("desk")).Select(p => p.Id).Take(40).ToList();
        var answers = new List<double>();
        var ratings = new List<double>();
        foreach (var id in probes)
        {
            answers.Add(await TimedAsync(researcher, "POST", $"/api/v1/probes/{id}/answer", """{"text":"I would try the next symbol."}"""));
            ratings.Add(await TimedAsync(researcher, "POST", $"/api/v1/probes/{id}/rate", """{"score":4}"""));
        }
        var decisions = new List<double>();
        foreach (var (review, i) in (await client.ListReviewsAsync("desk")).Select((r, i) => (r.Id, i)))
        {
            decisions.Add(await TimedAsync(reviewer, "POST", $"/api/v1/reviews/{review}/{(i % 2 == 0 ? "approve" : "reject")}", i % 2 == 0 ? """{"picks":[1]}""" : null));
        }
        var baseline = Median(healthz);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"actions   baseline GET /healthz                       median {baseline,6:0.0} ms"));
        foreach (var (label, times) in new[] { ("inbox: answer a probe", answers), ("inbox: rate the simulated answer", ratings), ("review: approve with a pick / reject", decisions) })
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"actions   {label,-40} median {Median(times),6:0.0} ms  p95 {Percentile(times, 0.95),6:0.0} ms  = {Median(times) / baseline:0.0} x /healthz  ({times.Count} requests)"));
        }
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        return 0;
    }

    private static readonly Dictionary<string, (double Fcp, double Rows)> Timelines = [];

    private static async Task<IPage> SignedInAsync(IBrowser browser, Uri url, string token)
    {
        var context = await browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 1280, Height = 900 } });
        var page = await context.NewPageAsync();
        await page.GotoAsync(new Uri(url, "/ui/").ToString());
        await page.FillAsync("#token", token);
        await page.ClickAsync("#signin");
        await page.WaitForSelectorAsync("[data-testid=user]");
        return page;
    }

    /// <summary>A cold load of the timeline page (a new document, the session cookie already set).</summary>
    private static async Task<(double Fcp, double Rows)> TimelineAsync(IPage page, Uri url, string loop)
    {
        await page.GotoAsync("about:blank");
        await page.GotoAsync(new Uri(url, $"/ui/#/loops/{loop}/timeline").ToString());
        await page.WaitForSelectorAsync(".tl-row", new PageWaitForSelectorOptions { Timeout = 60_000 });
        var rows = await page.EvaluateAsync<double>("performance.now()");
        var fcp = await page.EvaluateAsync<double>("(performance.getEntriesByName('first-contentful-paint')[0] || { startTime: NaN }).startTime");
        return (fcp, rows);
    }

    private static async Task<double> TimedAsync(IPage page, string method, string path, string? body)
    {
        var script = """
            async ([method, path, body]) => {
              const s = await (await fetch('/api/v1/session')).json();
              const headers = { 'X-Mimicry-CSRF': s.csrf };
              if (body !== null) headers['Content-Type'] = 'application/json';
              const t = performance.now();
              const r = await fetch(path, { method, headers, body: body ?? undefined });
              await r.text();
              if (!r.ok) throw new Error(`${method} ${path}: ${r.status}`);
              return performance.now() - t;
            }
            """;
        return await page.EvaluateAsync<double>(script, new object?[] { method, path, body });
    }

    private static async Task UntilAsync(Func<Task<bool>> done)
    {
        var deadline = DateTime.UtcNow.AddMinutes(5);
        while (!await done())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException("the benchmark's loops did not get ready in 5 minutes");
            }
            await Task.Delay(200);
        }
    }

    private static double Median(IEnumerable<double> values) => Percentile(values.ToList(), 0.5);

    private static double Percentile(List<double> values, double p)
    {
        var sorted = values.Order().ToList();
        return sorted[Math.Min(sorted.Count - 1, (int)(p * sorted.Count))];
    }

    private static string Yaml(string name, int branches, int days) => $$"""
        name: {{name}}
        researcher: { id: bench, name: Bench Researcher }
        question: Which symbol does each lemma hold?
        anchor: { policy: fixed, time: 2026-11-01T09:00:00Z }
        days: {{days}}
        branches: {{branches}}
        width: 1
        selection: all
        simulator: { kind: synthetic, lemmas: 1000, alphabet: 26, attempts: 3 }
        seed: 1
        """;

    /// <summary>40 branches held at day 1 for review, each asking researcher alice a probe.</summary>
    private static string Desk() => """
        name: desk
        researcher: { id: bench, name: Bench Researcher }
        question: Which symbol does each lemma hold?
        anchor: { policy: fixed, time: 2026-11-01T09:00:00Z }
        days: 3
        branches: 40
        width: 2
        selection: best-of-2
        review: { everyDays: 1 }
        calibration: { calibrator: { id: alice, kind: human }, rate: 1 }
        """;
}
