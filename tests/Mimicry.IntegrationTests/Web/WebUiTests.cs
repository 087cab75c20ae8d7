using System.Text.Json;
using Microsoft.Playwright;
using Mimicry.Client;

namespace Mimicry.IntegrationTests.Web;

/// <summary>
/// The web UI in a real browser (Debian's Chromium through Playwright) against a real embedded host: a researcher
/// answers blind and rates, a reviewer decides, the timeline shows a fork, hostile model text stays text, and
/// the refusals (CSRF, roles, another researcher's probe) hold. Each page's screenshot is saved.
/// </summary>
[Collection(TimingSensitive.Name)]
public sealed class WebUiTests(WebUiFixture web) : IClassFixture<WebUiFixture>
{
    private string Ui(string hash) => new Uri(web.Server.Url, "/ui/" + hash).ToString();

    [Fact]
    public async Task AResearcher_SeesOnlyTheirProbes_AnswersBlind_ThenSeesTheSimulatedAnswer_AndRatesIt()
    {
        var (context, page, problems) = await web.SignInAsync("researcher");
        await using var _ = context;
        await WebUiFixture.SeeAsync(page, "#inbox [data-probe]");
        await web.ShotAsync(page, "inbox");
        var shown = await page.Locator("#inbox [data-probe]").EvaluateAllAsync<string[]>("cards => cards.map(c => c.dataset.probe)");
        var mine = (await web.Server.Client("researcher").ListProbesAsync()).Select(p => p.Id).ToHashSet();
        Assert.NotEmpty(shown);
        Assert.All(shown, id => Assert.Contains(id, mine));
        Assert.All(await web.Server.Client("admin").ListProbesAsync(), p => Assert.Equal("alice", p.Calibrator));

        var id = shown[0];
        await page.ClickAsync($"[data-probe='{id}'] a");
        await WebUiFixture.SeeAsync(page, "#answer");
        // Blind: before answering, the page has no simulated answer to show.
        Assert.Equal(0, await page.Locator("text=What the simulated researcher wrote").CountAsync());
        await web.ShotAsync(page, "probe-answer");
        await page.FillAsync("#answer", "I would check the lemma against the table again.");
        await page.Keyboard.PressAsync("Tab");
        await page.Keyboard.PressAsync("Enter"); // the submit button, from the keyboard
        await WebUiFixture.SeeAsync(page, "text=What the simulated researcher wrote");
        await page.CheckAsync("#rate-4");
        await page.ClickAsync("#submit-rating");
        await WebUiFixture.SeeAsync(page, "[data-testid=rating]");
        await web.ShotAsync(page, "probe-rated");

        var stored = await web.Server.Client("admin").GetProbeAsync(id);
        Assert.Equal(("rated", "I would check the lemma against the table again.", 4), (stored.State, stored.Answer, stored.Rating));
        Assert.Empty(problems);

        // Another researcher's probe: refused by the server, shown as an error, nothing of it on the page.
        var (bobContext, bob, _) = await web.SignInAsync("researcher-bob");
        await using var __ = bobContext;
        await bob.GotoAsync(Ui($"#/probes/{Uri.EscapeDataString(id)}"));
        await WebUiFixture.SeeAsync(bob, "[role=alert]");
        Assert.Contains("Could not show this page", await bob.InnerTextAsync("#app"), StringComparison.Ordinal);
        Assert.DoesNotContain("lemma against the table", await bob.InnerTextAsync("body"), StringComparison.Ordinal);
        var status = await bob.EvaluateAsync<int>($"fetch('/api/v1/probes/{id}').then(r => r.status)");
        Assert.Equal(404, status);
        Assert.Equal(200, await page.EvaluateAsync<int>($"fetch('/api/v1/probes/{id}').then(r => r.status)")); // the same request as its researcher
    }

    [Fact]
    public async Task AReviewer_ApprovesWithAPick_AndRejectsAnotherDay_TheLoopGoesOn_AndTheDecisionsNameThem()
    {
        var (context, page, problems) = await web.SignInAsync("reviewer");
        await using var _ = context;
        await WebUiFixture.SeeAsync(page, "#reviews [data-review]");
        await web.ShotAsync(page, "review-desk");

        await page.GotoAsync(Ui("#/reviews/" + Uri.EscapeDataString("hostile/0/1/1")));
        await WebUiFixture.SeeAsync(page, "#approve");
        await page.CheckAsync("#pick-1");
        Assert.Contains("Keeping 1 of 2 chosen by you costs 1 bits", await page.InnerTextAsync("#pick-cost"), StringComparison.Ordinal);
        await web.ShotAsync(page, "review");
        await page.ClickAsync("#approve");
        await WebUiFixture.SeeAsync(page, "[data-testid=review-state]:has-text('approved by rita')");

        await page.GotoAsync(Ui("#/reviews/" + Uri.EscapeDataString("hostile/1/1/1")));
        await WebUiFixture.SeeAsync(page, "#reject");
        await page.ClickAsync("#reject");
        await WebUiFixture.SeeAsync(page, "[data-testid=review-state]:has-text('rejected by rita')");

        var admin = web.Server.Client("admin");
        var approved = await admin.GetReviewAsync("hostile/0/1/1");
        Assert.Equal(("approved", "rita"), (approved.State, approved.DecidedBy));
        Assert.Equal([1], approved.Picks!);
        Assert.Equal(("rejected", "rita"), ((await admin.GetReviewAsync("hostile/1/1/1")).State, (await admin.GetReviewAsync("hostile/1/1/1")).DecidedBy));
        // The loop goes on: branch 0 commits day 1 and is held at day 2; branch 1 draws day 1 again.
        await WebUiFixture.WaitAsync(async () =>
        {
            var pending = (await admin.ListReviewsAsync("hostile")).Select(r => r.Id).ToList();
            return pending.Contains("hostile/0/2/1") && pending.Contains("hostile/1/1/2");
        }, "the loop did not go on after the decisions");
        Assert.Empty(problems);
    }

    [Fact]
    public async Task HostileModelText_IsShownAsText_NothingRuns_AndNothingIsFetched()
    {
        var (context, page, problems) = await web.SignInAsync("admin");
        await using var _ = context;
        foreach (var (hash, name) in new[] { ("#/reviews/" + Uri.EscapeDataString("hostile/0/1/1"), "hostile-review"), ("#/loops/hostile/branches/2", "hostile-notebook") })
        {
            await page.GotoAsync(Ui(hash));
            await WebUiFixture.SeeAsync(page, "pre.untrusted");
            var text = await page.InnerTextAsync("#app");
            Assert.Contains("<script>window.__pwned = 1</script>", text, StringComparison.Ordinal);
            Assert.Contains("<img src=x onerror=", text, StringComparison.Ordinal);
            Assert.Contains("javascript:window.__pwned=3", text, StringComparison.Ordinal);
            Assert.Contains("\u241B[2J", text, StringComparison.Ordinal); // the escape character, shown as a symbol
            Assert.Contains("[U+202E]evil reversed", text, StringComparison.Ordinal); // the bidi override, shown as its code point
            Assert.DoesNotContain('\u202e', text);
            Assert.Equal(0, await page.Locator("#app img, #app script, #app iframe, #app b").CountAsync());
            Assert.Equal(0, await page.Locator("#app a[href^='javascript:'], #app a[href^='http']").CountAsync());
            Assert.Null(await page.EvaluateAsync<int?>("window.__pwned ?? null"));
            if (name == "hostile-notebook")
            {
                Assert.Contains("· openai model test-model-1 ·", text, StringComparison.Ordinal); // provenance names the model
                // The server's prompt cache served part of the second of two identical requests: provenance says how much.
                Assert.Matches(" · [0-9]+\\+[0-9]+ tokens, [0-9]+ cached · sha256 ", text);
            }
            await web.ShotAsync(page, name);
        }
        await page.GotoAsync(Ui("#/loops/hostile"));
        await WebUiFixture.SeeAsync(page, "[data-testid=loop-state]");
        Assert.Matches("[0-9,]+ in \\([0-9,]+ cached\\) \\+ [0-9,]+ out", await page.InnerTextAsync("#app"));
        Assert.Equal(0, web.ListenerHits);
        Assert.Empty(problems);
        var response = await page.APIRequest.GetAsync(Ui(""));
        Assert.Contains("script-src 'self'", response.Headers["content-security-policy"], StringComparison.Ordinal);
        Assert.DoesNotContain("unsafe-inline", response.Headers["content-security-policy"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task AChange_WithoutTheCsrfToken_IsRefused_AndAViewerCannotApprove()
    {
        var (context, page, _) = await web.SignInAsync("reviewer");
        await using var _ = context;
        var review = (await web.Server.Client("admin").ListReviewsAsync("hostile"))[0].Id;
        var path = $"/api/v1/reviews/{review}/approve";
        // The cookie goes along by itself; without the header the server refuses, and nothing changes.
        var noToken = await page.EvaluateAsync<JsonElement>($"fetch('{path}', {{ method: 'POST', headers: {{ 'Content-Type': 'application/json' }}, body: '{{}}' }}).then(async r => ({{ status: r.status, body: await r.text() }}))");
        Assert.Equal(403, noToken.GetProperty("status").GetInt32());
        Assert.Contains("X-Mimicry-CSRF", noToken.GetProperty("body").GetString(), StringComparison.Ordinal);
        var wrong = await page.EvaluateAsync<int>($"fetch('{path}', {{ method: 'POST', headers: {{ 'Content-Type': 'application/json', 'X-Mimicry-CSRF': 'guess' }}, body: '{{}}' }}).then(r => r.status)");
        Assert.Equal(403, wrong);
        Assert.Equal("pending", (await web.Server.Client("admin").GetReviewAsync(review)).State);

        var (viewerContext, viewer, _) = await web.SignInAsync("viewer");
        await using var __ = viewerContext;
        await viewer.GotoAsync(Ui("#/reviews/" + Uri.EscapeDataString(review)));
        await WebUiFixture.SeeAsync(viewer, "[data-testid=review-state]");
        Assert.Equal(0, await viewer.Locator("#approve").CountAsync());
        // Even with its session's CSRF token, the viewer's role refuses the change.
        var csrf = await viewer.EvaluateAsync<string>("fetch('/api/v1/session').then(r => r.json()).then(s => s.csrf)");
        var asViewer = await viewer.EvaluateAsync<int>($"fetch('{path}', {{ method: 'POST', headers: {{ 'Content-Type': 'application/json', 'X-Mimicry-CSRF': '{csrf}' }}, body: '{{}}' }}).then(r => r.status)");
        Assert.Equal(403, asViewer);
        Assert.Equal("pending", (await web.Server.Client("admin").GetReviewAsync(review)).State);

        // Signing out revokes the session: the cookie no longer signs anyone in.
        await viewer.ClickAsync("#signout");
        await WebUiFixture.SeeAsync(viewer, "#token");
        Assert.Equal(401, await viewer.EvaluateAsync<int>("fetch('/api/v1/loops').then(r => r.status)"));
    }

    [Fact]
    public async Task TheTimeline_ShowsTheForkAndItsSharedPrefix_AndReadModeShowsTheNotebookUpToTheChosenDay()
    {
        var (context, page, problems) = await web.SignInAsync("operator");
        await using var _ = context;
        await WebUiFixture.SeeAsync(page, "#loops [data-loop]");
        await web.ShotAsync(page, "loops");
        await page.GotoAsync(Ui("#/loops/tree"));
        await WebUiFixture.SeeAsync(page, "[data-testid=loop-state]");
        await web.ShotAsync(page, "loop");

        await page.GotoAsync(Ui("#/loops/tree/timeline"));
        await WebUiFixture.SeeAsync(page, ".tl-row");
        Assert.Contains("4 branches, 1 fork", await page.InnerTextAsync("#timeline-summary"), StringComparison.Ordinal);
        Assert.Equal(1, await page.Locator(".tl-fork").CountAsync()); // the fork point on branch 1
        Assert.Equal(1, await page.Locator(".tl-shared").CountAsync()); // the fork's shared prefix
        Assert.Contains($"↳ {web.ForkName} · 0", await page.InnerTextAsync("#timeline"), StringComparison.Ordinal);
        await web.ShotAsync(page, "timeline");

        await page.GotoAsync(Ui($"#/loops/{web.ForkName}/branches/0/days/4"));
        await WebUiFixture.SeeAsync(page, "#notebook .day");
        var days = await page.Locator("#notebook .day").EvaluateAllAsync<int[]>("ds => ds.map(d => Number(d.dataset.day))");
        Assert.Equal([1, 2, 3, 4], days);
        Assert.Contains("from tree branch 1", await page.InnerTextAsync("#notebook .day[data-day='3']"), StringComparison.Ordinal);
        await web.ShotAsync(page, "read-mode");

        // The ancestry's export: the API's Markdown, downloaded.
        var download = await page.RunAndWaitForDownloadAsync(() => page.ClickAsync("#export"));
        var markdown = await File.ReadAllTextAsync((await download.PathAsync())!);
        Assert.Contains("Forked from loop `tree` branch 1 after day 3", markdown, StringComparison.Ordinal);
        Assert.Equal($"{web.ForkName}-branch-0.md", download.SuggestedFilename);

        // Fork from here: the charge is shown first (a dry run writes nothing), then confirmed.
        var operatorClient = web.Server.Client("operator");
        var loopsBefore = (await operatorClient.ListLoopsAsync()).Count;
        await page.GotoAsync(Ui("#/loops/tree/branches/2"));
        await page.ClickAsync("[data-fork-day='2']");
        await WebUiFixture.SeeAsync(page, ".day[data-day='2'] .confirm-fork");
        var preview = await page.InnerTextAsync(".day[data-day='2'] .fork-confirm");
        Assert.Matches("Fork branch 2 after day 2 as .+: charged [0-9.]+ bits", preview);
        Assert.Equal(loopsBefore, (await operatorClient.ListLoopsAsync()).Count);
        await page.ClickAsync(".day[data-day='2'] .confirm-fork");
        await WebUiFixture.SeeAsync(page, "[data-testid=loop-state]");
        var forks = (await operatorClient.ListLoopsAsync()).Where(l => l.ForkedFrom is { Loop: "tree", Branch: 2, Day: 2 }).ToList();
        var made = Assert.Single(forks);
        Assert.Contains($"charged {made.ForkedFrom!.Bits.ToString("0.###", System.Globalization.CultureInfo.InvariantCulture)} bits", preview, StringComparison.Ordinal);
        Assert.Empty(problems);
    }

    [Fact]
    public async Task TheOrleansDashboard_LoadsForAnAdmin_UnderItsOwnPolicy_AndIsRefusedToAViewer()
    {
        var (context, page, problems) = await web.SignInAsync("admin");
        await using var _ = context;
        var csp = new List<string>();
        page.Console += (_, m) => { if (m.Text.Contains("Content Security Policy", StringComparison.Ordinal)) { csp.Add(m.Text); } };
        var response = await page.GotoAsync(new Uri(web.Server.Url, "/dashboard/").ToString());
        Assert.Equal(200, response!.Status);
        Assert.Contains("frame-ancestors 'none'", response.Headers["content-security-policy"], StringComparison.Ordinal);
        // The dashboard's script ran (under the page's policy) and drew the cluster: its silo and the grain types.
        await WebUiFixture.SeeAsync(page, "#menu a");
        await page.WaitForFunctionAsync("() => document.body.innerText.includes('Silos') && !document.body.innerText.includes('Loading...')",
            null, new PageWaitForFunctionOptions { Timeout = 15_000 });
        await web.ShotAsync(page, "orleans-dashboard");
        Assert.Empty(csp);
        Assert.DoesNotContain(problems, p => !p.Contains("favicon", StringComparison.Ordinal));

        // A viewer signed in the same way is refused the page and its data; no sign-in at all is refused too.
        var (viewerContext, viewer, _) = await web.SignInAsync("viewer");
        await using var __ = viewerContext;
        Assert.Equal(403, (await viewer.GotoAsync(new Uri(web.Server.Url, "/dashboard/").ToString()))!.Status);
        await viewer.GotoAsync(Ui("#/loops"));
        Assert.Equal(403, await viewer.EvaluateAsync<int>("fetch('/dashboard/DashboardCounters').then(r => r.status)"));
        using var anonymous = new HttpClient();
        Assert.Equal(System.Net.HttpStatusCode.Unauthorized, (await anonymous.GetAsync(new Uri(web.Server.Url, "/dashboard/"))).StatusCode);
    }
}
