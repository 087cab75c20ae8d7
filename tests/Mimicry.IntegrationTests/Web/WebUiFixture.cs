using System.Net;
using System.Net.Sockets;
using Microsoft.Playwright;
using Mimicry.Client;
using Mimicry.Grains;
using Mimicry.IntegrationTests.Api;
using Mimicry.IntegrationTests.Models;

namespace Mimicry.IntegrationTests.Web;

/// <summary>
/// A real embedded host with one user per role, Debian's Chromium driven by Playwright, and two loops: "hostile",
/// whose model answers carry script tags, an image that would call a listener this fixture watches, javascript:
/// links, terminal escapes and bidi overrides (every day is held for review, and every day asks researcher alice
/// a probe; branch 2's first day is approved here, so its notebook holds the hostile text); and "tree", a finished synthetic loop with a fork, for the timeline.
/// </summary>
public sealed class WebUiFixture : IAsyncLifetime
{
    private TcpListener _listener = null!;
    private int _listenerHits;
    private CancellationTokenSource _stop = new();

    public ApiServer Server { get; private set; } = null!;

    internal FakeOpenAiServer Model { get; private set; } = null!;

    public IPlaywright Playwright { get; private set; } = null!;

    public IBrowser Browser { get; private set; } = null!;

    public string ForkName { get; private set; } = "";

    /// <summary>Requests that reached the watched listener: must stay 0 (no entry's image or link is ever fetched).</summary>
    public int ListenerHits => Volatile.Read(ref _listenerHits);

    /// <summary>Where this run's screenshots go (docs/images holds the committed ones).</summary>
    public string Screenshots { get; } = Environment.GetEnvironmentVariable("MIMICRY_SCREENSHOTS") is { Length: > 0 } dir ? dir : CliProcess.TempFolder("screens");

    public string Hostile(int port) =>
        $"<script>window.__pwned = 1</script> <img src=x onerror=\"window.__pwned = 2\"> ![chart](http://127.0.0.1:{port}/md.png) " +
        "[read more](javascript:window.__pwned=3) \u001b[2J\u001b]0;owned\u0007 \u202eevil reversed\u202c <b>bold?</b>\n";

    public async Task InitializeAsync()
    {
        _listener = new TcpListener(IPAddress.Loopback, 0);
        _listener.Start();
        var port = ((IPEndPoint)_listener.LocalEndpoint).Port;
        _ = Task.Run(async () =>
        {
            while (!_stop.IsCancellationRequested)
            {
                try
                {
                    using var client = await _listener.AcceptTcpClientAsync(_stop.Token);
                    Interlocked.Increment(ref _listenerHits);
                }
                catch (Exception) when (_stop.IsCancellationRequested)
                {
                    return;
                }
            }
        });

        Model = await FakeOpenAiServer.StartAsync();
        Model.AnswerPrefix = Hostile(port);
        Model.ReportCachedTokens = true;
        Environment.SetEnvironmentVariable("MIMICRY_WEB_TEST_KEY", "sk-web-test");
        Server = await ApiServer.StartAsync();

        var hostile = Specs.Parse(OpenAiSpecs.Yaml("hostile", Model.BaseUrl, branches: 3, days: 3, width: 2, keyVariable: "MIMICRY_WEB_TEST_KEY",
            extra: "review: { everyDays: 1 }\ncalibration:\n  calibrator: { id: alice, kind: human }\n  rate: 1\n  expireAfter: 7d"));
        await Server.Grains.GetGrain<ILoopGrain>(hostile.Name).Start(hostile);
        var operatorClient = Server.Client("operator");
        await operatorClient.SubmitAsync(Api.ApiSpecs.Plain("tree", branches: 4, days: 6));
        await WaitAsync(async () => (await operatorClient.GetLoopAsync("tree")).State == "completed", "the tree loop did not complete");
        ForkName = (await operatorClient.ForkAsync("tree", new ForkRequest(1, 3))).Loop;
        await WaitAsync(async () => (await operatorClient.GetLoopAsync(ForkName)).State == "completed", "the fork did not complete");
        var admin = Server.Client("admin");
        await WaitAsync(async () => (await admin.ListReviewsAsync("hostile", pendingOnly: true)).Count == 3 && (await admin.ListProbesAsync("hostile")).Count >= 3,
            "the hostile loop's first days were not held with their probes");
        // Branch 2's first day goes into the notebook, hostile text and all, for read mode (branches 0 and 1 are the tests').
        await admin.ApproveAsync("hostile/2/1/1");
        await WaitAsync(async () => (await admin.GetNotebookAsync("hostile", 2)).Days.Count >= 1, "branch 2 did not commit its approved day");

        Playwright = await Microsoft.Playwright.Playwright.CreateAsync();
        var chromium = Environment.GetEnvironmentVariable("MIMICRY_CHROMIUM") is { Length: > 0 } c ? c : "/usr/bin/chromium";
        if (!File.Exists(chromium))
        {
            throw new InvalidOperationException($"Debian's chromium is not at {chromium}: tests/run-all.sh installs it (apt-get install -y chromium)");
        }
        Browser = await Playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions { ExecutablePath = chromium, Headless = true, Args = ["--no-sandbox"] });
        Directory.CreateDirectory(Screenshots);
    }

    public static async Task WaitAsync(Func<Task<bool>> done, string what)
    {
        var deadline = DateTime.UtcNow.AddSeconds(90);
        while (!await done())
        {
            Assert.True(DateTime.UtcNow < deadline, what);
            await Task.Delay(100);
        }
    }

    /// <summary>A fresh browser profile (no cookies), signed in as <paramref name="who"/> through the sign-in page.</summary>
    public async Task<(IBrowserContext Context, IPage Page, List<string> Problems)> SignInAsync(string who)
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 1280, Height = 900 } });
        var page = await context.NewPageAsync();
        var problems = new List<string>();
        page.PageError += (_, e) => problems.Add("page error: " + e);
        page.Dialog += (_, d) => { problems.Add("dialog: " + d.Message); _ = d.DismissAsync(); };
        page.Console += (_, m) => { if (m.Type == "error") problems.Add("console: " + m.Text); };
        await page.GotoAsync(new Uri(Server.Url, "/ui/").ToString());
        await page.FillAsync("#token", Server.Tokens[who]);
        await page.ClickAsync("#signin");
        await page.WaitForSelectorAsync("[data-testid=user]");
        return (context, page, problems);
    }

    /// <summary>Waits for a selector; on timeout, fails with what the page shows, so a failure says why.</summary>
    public static async Task SeeAsync(IPage page, string selector)
    {
        try
        {
            await page.WaitForSelectorAsync(selector, new PageWaitForSelectorOptions { Timeout = 15_000 });
        }
        catch (TimeoutException)
        {
            Assert.Fail($"'{selector}' never showed at {page.Url}; the page said:\n{await page.InnerTextAsync("body")}");
        }
    }

    public async Task ShotAsync(IPage page, string name) =>
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(Screenshots, name + ".png"), FullPage = true });

    public async Task DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        if (Browser is not null)
        {
            await Browser.CloseAsync();
        }
        Playwright?.Dispose();
        await Server.DisposeAsync();
        await Model.DisposeAsync();
        _stop.Dispose();
    }
}
