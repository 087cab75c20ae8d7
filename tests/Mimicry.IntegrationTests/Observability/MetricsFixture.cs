using System.Net.Http.Headers;
using Mimicry.Client;
using Mimicry.IntegrationTests.Api;
using Mimicry.IntegrationTests.Models;

namespace Mimicry.IntegrationTests.Observability;

/// <summary>
/// A real embedded server that has run what makes every Mimicry metric appear: a model loop against the fake server
/// (a throttled request retried, answers with a future date that trip the leakage tripwire, so days are held and
/// one is decided) and a synthetic loop with a bit budget and a synthetic calibrator (probes asked and answered, the
/// drift statistic). <see cref="Scrape"/> is its <c>/metrics</c> as an admin reads it afterwards.
/// </summary>
public sealed class MetricsFixture : IAsyncLifetime
{
    public ApiServer Server { get; private set; } = null!;

    internal FakeOpenAiServer Model { get; private set; } = null!;

    public string Scrape { get; private set; } = "";

    /// <summary>The model loop's pending reviews when <see cref="Scrape"/> was taken.</summary>
    public int PendingReviews { get; private set; }

    public async Task InitializeAsync()
    {
        Model = await FakeOpenAiServer.StartAsync();
        Model.RetryAfter = "0";
        var first = 0;
        Model.Behavior = _ => Interlocked.Increment(ref first) == 1 ? FakeReply.Throttle : FakeReply.Ok;
        Model.AnswerPrefix = "Looking back from March 2031, the result was settled in 2030. ";
        Environment.SetEnvironmentVariable("MIMICRY_METRICS_TEST_KEY", "sk-metrics-test");
        Server = await ApiServer.StartAsync();
        var admin = Server.Client("admin");
        await admin.SubmitAsync(OpenAiSpecs.Yaml("metered-model", Model.BaseUrl, branches: 2, days: 2, width: 2, keyVariable: "MIMICRY_METRICS_TEST_KEY"));
        await admin.SubmitAsync(CalibratedSpec);
        await WaitAsync(async () => (await admin.GetLoopAsync("metered-synthetic")).State == "completed", "the synthetic loop did not complete");
        await WaitAsync(async () => (await admin.ListReviewsAsync("metered-model", pendingOnly: true)).Count == 2, "the model loop's days were not held by the tripwire");
        var approved = (await admin.ListReviewsAsync("metered-model", pendingOnly: true))[0];
        await admin.ApproveAsync(approved.Id);
        // The approved branch goes on to its day 2, which the tripwire holds too: three held, one decided.
        await WaitAsync(async () => (await admin.ListReviewsAsync("metered-model", pendingOnly: false)).Count == 3, "the approved branch's next day was not held");
        PendingReviews = (await admin.ListReviewsAsync("metered-model", pendingOnly: true)).Count;
        Scrape = await ScrapeAsync("admin");
    }

    public async Task<string> ScrapeAsync(string who)
    {
        using var http = new HttpClient();
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Server.Tokens[who]);
        using var response = await http.GetAsync(new Uri(Server.Url, "/metrics"));
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadAsStringAsync();
    }

    /// <summary>The metric families in a scrape (the names of its <c># TYPE</c> lines).</summary>
    public static IReadOnlySet<string> Families(string scrape) =>
        scrape.Split('\n').Where(l => l.StartsWith("# TYPE ", StringComparison.Ordinal)).Select(l => l.Split(' ')[2]).ToHashSet(StringComparer.Ordinal);

    public const string CalibratedSpec = """
        name: metered-synthetic
        researcher:
          id: ada
          name: Ada Example
        question: Which symbol does each lemma hold?
        anchor:
          policy: fixed
          time: 2026-11-01T09:00:00Z
        days: 6
        branches: 3
        width: 2
        selection: best-of-2
        budgets:
          maxBits: 1000
        calibration:
          calibrator: { id: sim, kind: synthetic }
          rate: 1
        """;

    public static async Task WaitAsync(Func<Task<bool>> done, string what)
    {
        var deadline = DateTime.UtcNow.AddSeconds(90);
        while (!await done())
        {
            Assert.True(DateTime.UtcNow < deadline, what);
            await Task.Delay(100);
        }
    }

    public async Task DisposeAsync()
    {
        await Server.DisposeAsync();
        await Model.DisposeAsync();
    }
}
