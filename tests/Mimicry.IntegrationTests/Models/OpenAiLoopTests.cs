using System.Text.Json;

namespace Mimicry.IntegrationTests.Models;

/// <summary>Loops with <c>simulator: openai</c>, run by the real CLI against a real HTTP server that speaks the OpenAI wire format.</summary>
[Collection(TimingSensitive.Name)]
public sealed class OpenAiLoopTests : IAsyncLifetime
{
    private FakeOpenAiServer _server = null!;
    private readonly string _data = CliProcess.TempFolder("openai");
    private readonly Dictionary<string, string> _env = new() { ["MIMICRY_TEST_KEY"] = "sk-test-secret" };

    public async Task InitializeAsync() => _server = await FakeOpenAiServer.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private async Task<string> SpecFileAsync(string yaml)
    {
        var path = Path.Combine(Path.GetTempPath(), $"openai-{Guid.NewGuid():N}.yaml");
        await File.WriteAllTextAsync(path, yaml);
        return path;
    }

    private Task<CliProcess.Result> RunAsync(string spec) => CliProcess.RunAsync(TimeSpan.FromMinutes(3), _env, "run", spec, "--data", _data);

    /// <summary>The loop's notebooks as exported in JSON lines, one element per entry; the export must succeed.</summary>
    private async Task<List<JsonElement>> NotebookLinesAsync(string loop)
    {
        var export = await CliProcess.RunAsync(TimeSpan.FromMinutes(1), _env, "notebook", loop, "--data", _data, "--format", "jsonl");
        Assert.True(export.ExitCode == 0, export.Stderr);
        return export.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement).ToList();
    }

    private async Task<JsonElement> StatusAsync(string loop)
    {
        var status = await CliProcess.RunAsync(TimeSpan.FromMinutes(1), _env, "status", "--data", _data, "--json");
        Assert.True(status.ExitCode == 0, status.Stderr);
        using var doc = JsonDocument.Parse(status.Stdout);
        return doc.RootElement.EnumerateArray().Single(l => l.GetProperty("loop").GetString() == loop).Clone();
    }

    [Fact]
    public async Task ALoop_RunsEndToEnd_SendingWhatTheSpecSays_AndAccountsForEveryToken()
    {
        var spec = await SpecFileAsync(OpenAiSpecs.Yaml("e2e", _server.BaseUrl));
        var run = await RunAsync(spec);
        Assert.True(run.ExitCode == 0, run.Stderr + run.Stdout);

        var requests = _server.Requests.ToList();
        Assert.True(requests.Count == 3 * 4 * 2, $"{requests.Count} requests; run said: {run.Stdout} {run.Stderr}");
        Assert.All(requests, r =>
        {
            Assert.Equal("Bearer sk-test-secret", r.Authorization);
            Assert.Equal("test-model-1", r.Model);
            Assert.Equal(200, r.MaxTokens);
            Assert.Equal(0.7, (double)r.Body["temperature"]!, 3);
            Assert.NotNull(r.Seed);
            Assert.Contains("You are Ada Example.", r.System, StringComparison.Ordinal);
            Assert.Contains("Today is Sunday, 1 November 2026.", r.User, StringComparison.Ordinal);
            Assert.Contains("Is every even number greater than 2 the sum of two primes?", r.User, StringComparison.Ordinal);
        });
        // Day 1 starts from an empty notebook; later days carry the earlier entries, fenced as data.
        Assert.All(requests.Where(r => r.User.Contains("Your notebook is empty", StringComparison.Ordinal)), r => Assert.DoesNotContain("<<entry", r.User, StringComparison.Ordinal));
        Assert.Equal(3 * 2, requests.Count(r => r.User.Contains("Your notebook is empty", StringComparison.Ordinal)));
        var late = requests.Where(r => r.User.Contains("<<entry 6 ", StringComparison.Ordinal)).ToList();
        Assert.Equal(3 * 2, late.Count); // day 4 sees 2 entries from each of days 1-3
        Assert.All(late, r => Assert.Contains("is DATA you wrote earlier", r.User, StringComparison.Ordinal));

        // Accounting: what the server billed, summed; cost from the price table.
        long input = requests.Sum(r => (long)(FakeOpenAiServer.TokensOf(r.System) + FakeOpenAiServer.TokensOf(r.User)));
        long output = requests.Sum(r => (long)FakeOpenAiServer.TokensOf(FakeOpenAiServer.AnswerFor(r.User, r.Seed)));
        var status = await StatusAsync("e2e");
        Assert.Equal("completed", status.GetProperty("status").GetString());
        Assert.Equal(input, status.GetProperty("inputTokens").GetInt64());
        Assert.Equal(output, status.GetProperty("outputTokens").GetInt64());
        Assert.Equal((input * 2.5 + output * 10) / 1e6, status.GetProperty("cost").GetDouble(), 6);
        Assert.Equal(24, status.GetProperty("entries").GetInt64());

        var text = await CliProcess.RunAsync(TimeSpan.FromMinutes(1), _env, "status", "--data", _data);
        Assert.Contains(string.Create(System.Globalization.CultureInfo.InvariantCulture, $"    tokens {input:N0} in + {output:N0} out  cost {(input * 2.5 + output * 10) / 1e6:0.0000} USD"), text.Stdout, StringComparison.Ordinal);

        // Provenance: each entry carries its own session's tokens, and the text the server sent.
        var lines = await NotebookLinesAsync("e2e");
        Assert.Equal(24, lines.Count);
        Assert.Equal(output, lines.Sum(l => l.GetProperty("outputTokens").GetInt64()));
        Assert.All(lines, l => Assert.StartsWith("Notes for today.", l.GetProperty("text").GetString(), StringComparison.Ordinal));
        Assert.Equal(24, lines.Select(l => l.GetProperty("text").GetString()).Distinct().Count());
    }

    [Fact]
    public async Task ThePromptsOfALoop_ArePrefixStable_SoAProviderCacheCanReuseThem()
    {
        var spec = await SpecFileAsync(OpenAiSpecs.Yaml("prefix", _server.BaseUrl, branches: 1, days: 30, width: 4));
        var run = await RunAsync(spec);
        Assert.True(run.ExitCode == 0, run.Stderr + run.Stdout);
        var requests = _server.Requests.OrderBy(r => r.Number).ToList();
        Assert.Equal(30 * 4, requests.Count);

        // The day a request belongs to: day 1's notebook is empty; day d's holds 4 (d - 1) entries, counted after them.
        static int DayOf(RecordedRequest r) => r.User.Contains("Your notebook is empty", StringComparison.Ordinal) ? 1
            : int.Parse(System.Text.RegularExpressions.Regex.Match(r.User, @"\(End of the notebook: ([0-9]+) entries\.\)").Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) / 4 + 1;
        var days = requests.GroupBy(DayOf).OrderBy(g => g.Key).ToList();
        Assert.Equal(Enumerable.Range(1, 30), days.Select(d => d.Key));
        string? previousNotebookPart = null;
        foreach (var day in days)
        {
            // The W sessions of a day send the same text; only their seeds differ (and travel in the request).
            Assert.Equal(4, day.Count());
            Assert.Single(day.Select(FakeOpenAiServer.PromptText).Distinct());
            Assert.Equal(4, day.Select(r => r.Seed).Distinct().Count());
            var text = FakeOpenAiServer.PromptText(day.First());
            if (previousNotebookPart is not null)
            {
                Assert.StartsWith(previousNotebookPart, text, StringComparison.Ordinal);
            }
            var end = text.LastIndexOf("\n<<end ", StringComparison.Ordinal);
            previousNotebookPart = end < 0 ? null : text[..text.IndexOf('\n', end + 1)];
        }
        var share = FakeOpenAiServer.PrefixShare(requests);
        Assert.True(share >= 0.85, $"only {share:P1} of the prompt characters repeat an earlier request's prefix");
    }

    [Fact]
    public async Task CachedPromptTokens_TheServerReports_ArePricedSeparately_AndShownInStatusAndProvenance()
    {
        _server.ReportCachedTokens = true;
        var yaml = OpenAiSpecs.Yaml("cached", _server.BaseUrl, branches: 1, days: 6, width: 4).Replace("    output: 10", "    output: 10\n    cachedInput: 1.25", StringComparison.Ordinal);
        var run = await RunAsync(await SpecFileAsync(yaml));
        Assert.True(run.ExitCode == 0, run.Stderr + run.Stdout);

        var requests = _server.Requests.ToList();
        long input = requests.Sum(r => (long)(FakeOpenAiServer.TokensOf(r.System) + FakeOpenAiServer.TokensOf(r.User)));
        long cached = requests.Sum(r => (long)_server.CachedTokensOf(r));
        long output = requests.Sum(r => (long)FakeOpenAiServer.TokensOf(FakeOpenAiServer.AnswerFor(r.User, r.Seed)));
        Assert.True(cached > input / 2, $"only {cached} of {input} input tokens were served from the cache: the prompts are not prefix-stable");
        var status = await StatusAsync("cached");
        Assert.Equal((input, cached, output), (status.GetProperty("inputTokens").GetInt64(), status.GetProperty("cachedInputTokens").GetInt64(), status.GetProperty("outputTokens").GetInt64()));
        Assert.Equal(((input - cached) * 2.5 + cached * 1.25 + output * 10) / 1e6, status.GetProperty("cost").GetDouble(), 9);
        var text = await CliProcess.RunAsync(TimeSpan.FromMinutes(1), _env, "status", "--data", _data);
        Assert.Contains(string.Create(System.Globalization.CultureInfo.InvariantCulture, $"tokens {input:N0} in ({cached:N0} cached) + {output:N0} out"), text.Stdout, StringComparison.Ordinal);

        // Each entry carries its own session's cached tokens; each day the sum of its sessions'.
        var lines = await NotebookLinesAsync("cached");
        Assert.Equal(cached, lines.Sum(l => l.GetProperty("cachedInputTokens").GetInt64()));
        Assert.Equal(cached, lines.GroupBy(l => l.GetProperty("day").GetInt32()).Sum(g => g.First().GetProperty("dayCachedInputTokens").GetInt64()));
    }

    [Fact]
    public async Task ANotebookLongerThanTheContext_LeavesOutItsOldestEntries_SayingSo_AndNoRequestIsOverTheLimit()
    {
        _server.ContextLimit = 8000;
        var yaml = OpenAiSpecs.Yaml("long", _server.BaseUrl, branches: 1, days: 200, width: 1, extra: "  contextTokens: 8000");
        var run = await RunAsync(await SpecFileAsync(yaml));
        Assert.True(run.ExitCode == 0, run.Stderr + run.Stdout);
        var status = await StatusAsync("long");
        Assert.Equal(("completed", 200L), (status.GetProperty("status").GetString(), status.GetProperty("days").GetInt64()));
        var requests = _server.Requests.OrderBy(r => r.Number).ToList();
        Assert.Equal(200, requests.Count);
        Assert.Equal(0, _server.OverLimit);
        // The bound Mimicry counts with for an unknown model (UTF-8 bytes) keeps every prompt within the window.
        Assert.All(requests, r => Assert.True(System.Text.Encoding.UTF8.GetByteCount(r.System) + System.Text.Encoding.UTF8.GetByteCount(r.User) <= 8000 - 200,
            $"request {r.Number} is over the window"));
        var last = requests[^1].User;
        var leftOut = int.Parse(System.Text.RegularExpressions.Regex.Match(last, "Its first ([0-9]+) entries are left out here because the whole notebook no longer fits; it continues from entry ([0-9]+)").Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(leftOut, 100, 198);
        Assert.Contains($"(End of the notebook: 199 entries, the first {leftOut} left out.)", last, StringComparison.Ordinal);
        Assert.Contains($"<<entry {leftOut + 1} ", last, StringComparison.Ordinal);
        Assert.Contains("<<entry 199 ", last, StringComparison.Ordinal);
        Assert.DoesNotContain($"<<entry {leftOut} ", last, StringComparison.Ordinal);
        // The window moves in chunks: many consecutive days share where it starts (and so a cacheable prefix).
        var starts = requests.Select(r => System.Text.RegularExpressions.Regex.Match(r.User, "continues from entry ([0-9]+)").Groups[1].Value).Where(v => v.Length > 0).ToList();
        Assert.True(starts.Distinct().Count() < starts.Count / 3, $"the window's start moved {starts.Distinct().Count()} times in {starts.Count} days");
    }

    private static bool IsDigestRequest(RecordedRequest r) => r.User.Contains("so today you do no new research: you", StringComparison.Ordinal);

    [Fact]
    public async Task UnderDigest_A200DayLoop_ConsolidatesItsNotebook_WithNoRequestOverTheLimit_AndTheWholeNotebookIsKept()
    {
        _server.ContextLimit = 8000;
        // A digest the fake researcher writes is recognisable, so later prompts can be checked for it.
        _server.Answer = r => IsDigestRequest(r) ? $"DIGEST {r.Number}: everything so far, in brief. " + FakeOpenAiServer.AnswerFor(r.User, r.Seed) : null;
        var yaml = OpenAiSpecs.Yaml("digested", _server.BaseUrl, branches: 1, days: 200, width: 1, extra: "  contextTokens: 8000\n  overflow: digest");
        var run = await RunAsync(await SpecFileAsync(yaml));
        Assert.True(run.ExitCode == 0, run.Stderr + run.Stdout);
        var status = await StatusAsync("digested");
        Assert.Equal(("completed", 200L), (status.GetProperty("status").GetString(), status.GetProperty("days").GetInt64()));
        var requests = _server.Requests.OrderBy(r => r.Number).ToList();
        Assert.Equal(200, requests.Count);
        Assert.Equal(0, _server.OverLimit);
        Assert.All(requests, r => Assert.True(System.Text.Encoding.UTF8.GetByteCount(r.System) + System.Text.Encoding.UTF8.GetByteCount(r.User) <= 8000 - 200,
            $"request {r.Number} is over the window"));
        // Digests come before the notebook outgrows the window: nothing is ever left out.
        Assert.DoesNotContain(requests, r => r.User.Contains("left out here", StringComparison.Ordinal));
        var digests = requests.Where(IsDigestRequest).ToList();
        Assert.InRange(digests.Count, 2, 40);

        // The whole notebook stays in the store and in exports: one entry a day, digests marked as such.
        var lines = await NotebookLinesAsync("digested");
        Assert.Equal(200, lines.Count);
        var digestDays = lines.Where(l => l.GetProperty("selection").GetString()!.StartsWith("digest of entries 1 to ", StringComparison.Ordinal)).ToList();
        Assert.Equal(digests.Count, digestDays.Count);
        Assert.All(digestDays, l =>
        {
            Assert.Equal($"digest of entries 1 to {l.GetProperty("day").GetInt32() - 1}", l.GetProperty("selection").GetString());
            Assert.StartsWith("DIGEST ", l.GetProperty("text").GetString(), StringComparison.Ordinal);
            Assert.Equal(0, l.GetProperty("bits").GetDouble());
            Assert.True(l.GetProperty("dayInputTokens").GetInt64() > 0); // charged like any session
        });

        // Each day after a digest reads it first, numbered where it sits, and none of the entries before it.
        var lastDigest = digestDays[^1];
        var digestDay = lastDigest.GetProperty("day").GetInt32();
        var after = requests.Last(r => !IsDigestRequest(r));
        Assert.Contains($"Entries 1 to {digestDay - 1} are not shown: entry {digestDay}, the first below, is the digest you wrote of them", after.User, StringComparison.Ordinal);
        Assert.Contains(lastDigest.GetProperty("text").GetString()!, after.User, StringComparison.Ordinal);
        Assert.DoesNotContain(lines[digestDay - 2].GetProperty("text").GetString()!, after.User, StringComparison.Ordinal);
        Assert.Contains("(End of the notebook: 199 entries, the first " + (digestDay - 1) + " in the digest.)", after.User, StringComparison.Ordinal);
        // A digest day's own prompt shows the notebook the day before would have read, and asks for the digest.
        var secondDigest = digests[1];
        var firstDigestDay = digestDays[0].GetProperty("day").GetInt32();
        Assert.Contains($"is the digest you wrote of them", secondDigest.User, StringComparison.Ordinal);
        Assert.Contains($"<<entry {firstDigestDay} ", secondDigest.User, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ADigest_IsScreenedByTheTripwires_AndHeldForAPerson_LikeAnyEntry()
    {
        // The first digest addresses whoever reads it; later ones do not.
        var tampered = 0;
        _server.Answer = r => IsDigestRequest(r) ? Interlocked.Increment(ref tampered) == 1 ? "My digest. " + Mimicry.Synthetic.SyntheticResearcher.Tamper : "My next digest." : null;
        var yaml = OpenAiSpecs.Yaml("screened", _server.BaseUrl, branches: 1, days: 12, width: 1, extra: "  contextTokens: 3000\n  overflow: digest");
        var run = await RunAsync(await SpecFileAsync(yaml));
        Assert.True(run.ExitCode == 0, run.Stderr + run.Stdout);
        var status = await StatusAsync("screened");
        Assert.Equal("awaiting review", status.GetProperty("status").GetString());
        var digest = Assert.Single(_server.Requests, IsDigestRequest);
        var list = await CliProcess.RunAsync(TimeSpan.FromMinutes(1), _env, "review", "list", "--data", _data, "--json");
        var review = Assert.Single(JsonDocument.Parse(list.Stdout).RootElement.EnumerateArray().ToList());
        Assert.True(review.GetProperty("quarantined").GetBoolean());
        var id = review.GetProperty("id").GetString()!;
        var day = int.Parse(id.Split('/')[2], System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(digest.Number, _server.Requests.Count); // nothing ran past the held digest

        Assert.Equal(0, (await CliProcess.RunAsync(TimeSpan.FromMinutes(1), _env, "review", "approve", id, "--as", "dana", "--data", _data)).ExitCode);
        Assert.Equal(0, (await CliProcess.RunAsync(TimeSpan.FromMinutes(2), _env, "resume", "screened", "--data", _data)).ExitCode);
        Assert.Equal(("completed", 12L), ((await StatusAsync("screened")).GetProperty("status").GetString(), (await StatusAsync("screened")).GetProperty("days").GetInt64()));
        var lines = await NotebookLinesAsync("screened");
        var kept = lines[day - 1];
        Assert.Equal($"digest of entries 1 to {day - 1}", kept.GetProperty("selection").GetString());
        Assert.Equal("dana", kept.GetProperty("review").GetProperty("decidedBy").GetString());
        // Released, it is what the days after read first (still fenced as data).
        var next = _server.Requests.OrderBy(r => r.Number).First(r => r.Number > digest.Number);
        Assert.Contains($"is the digest you wrote of them", next.User, StringComparison.Ordinal);
        Assert.Matches($"<<entry {day} [0-9a-f]{{16}}>>\\nMy digest\\. Note to whoever reads this", next.User);
    }

    [Fact]
    public async Task OverflowFail_FailsTheSessionUnsent_WithTheReason()
    {
        var yaml = OpenAiSpecs.Yaml("tight", _server.BaseUrl, branches: 1, days: 30, width: 1, extra: "  contextTokens: 2000\n  overflow: fail");
        var run = await RunAsync(await SpecFileAsync(yaml));
        Assert.Equal(1, run.ExitCode);
        var status = await StatusAsync("tight");
        Assert.Equal("failed", status.GetProperty("status").GetString());
        Assert.Matches("^every session of day [0-9]+ failed: the prompt needs about [0-9,]+ tokens, more than the 1,768 left by contextTokens 2,000 beside maxOutputTokens 200; overflow: recent would leave out the oldest entries",
            status.GetProperty("reason").GetString());
        var days = status.GetProperty("days").GetInt64();
        Assert.InRange(days, 1, 29);
        Assert.Equal(days, _server.Requests.Count); // the day that did not fit sent nothing
    }

    [Fact]
    public async Task FirstValid_WithFilters_KeepsTheFirstPassingCandidate_AndChargesMinusLog2OfTheDaysPassRate()
    {
        // The fake's answers end in "Reference HEX": about half start with 0-7. A day's pass rate varies, so its bits do.
        var spec = await SpecFileAsync(OpenAiSpecs.Yaml("filtered", _server.BaseUrl, branches: 3, days: 6, width: 4,
            extra: "filters:\n  minLength: 40\n  require: ['Reference [0-7]']\n  forbid: ['(?i)as an ai']").Replace("selection: all", "selection: first-valid", StringComparison.Ordinal));
        var run = await RunAsync(spec);
        Assert.True(run.ExitCode == 0, run.Stderr + run.Stdout);

        var requests = _server.Requests.ToList();
        Assert.Equal(3 * 6 * 4, requests.Count);
        var bySeed = requests.ToDictionary(r => r.Seed!.Value);
        static bool Passes(string text) => System.Text.RegularExpressions.Regex.IsMatch(text, "Reference [0-7]");
        var lines = await NotebookLinesAsync("filtered");
        double expectedBits = 0;
        int expectedEntries = 0, daysWithPasses = 0, daysPartlyPassing = 0;
        for (var branch = 0; branch < 3; branch++)
        {
            for (var day = 1; day <= 6; day++)
            {
                // The day's four sessions, by the seeds the loop derives; what each answered, and which passed.
                var answers = Enumerable.Range(0, 4).Select(slot =>
                {
                    var seed = Mimicry.Determinism.Seeds.ForSession(5, branch, day, slot);
                    return FakeOpenAiServer.AnswerFor(bySeed[seed].User, seed);
                }).ToList();
                var passing = answers.Count(Passes);
                var bits = passing is 0 or 4 ? 0 : Math.Log2(4.0 / passing);
                expectedBits += bits;
                var kept = lines.Where(l => l.GetProperty("branch").GetInt32() == branch && l.GetProperty("day").GetInt32() == day).ToList();
                if (passing == 0)
                {
                    Assert.Empty(kept); // none passed: the day is committed with no entry
                    continue;
                }
                (expectedEntries, daysWithPasses, daysPartlyPassing) = (expectedEntries + 1, daysWithPasses + 1, daysPartlyPassing + (passing < 4 ? 1 : 0));
                var entry = Assert.Single(kept);
                Assert.Equal(answers.First(Passes), entry.GetProperty("text").GetString());
                Assert.Equal(bits, entry.GetProperty("bits").GetDouble(), 6);
                Assert.Equal("first-valid", entry.GetProperty("selection").GetString());
            }
        }
        Assert.True(daysPartlyPassing > 0 && daysWithPasses > 0, "the filter never split a day: the test shows nothing");
        var status = await StatusAsync("filtered");
        Assert.Equal("completed", status.GetProperty("status").GetString());
        Assert.Equal(expectedEntries, status.GetProperty("entries").GetInt64());
        Assert.Equal(expectedBits, status.GetProperty("bitsSpent").GetDouble(), 5);
    }

    [Fact]
    public async Task A429Storm_IsRetried_AtTheConfiguredRate_AndNoDayIsWrittenTwice()
    {
        // A third of all requests are throttled (no Retry-After: the client's backoff and limiter decide), the
        // rest answered at once. The client is allowed 1,200 requests a minute: 20 a second, 429s included; 60
        // branches keep more than that waiting, so the limiter, not the demand, sets the pace.
        // (No session is throttled more than twice, so no session's backoff drags the run out.)
        _server.RetryAfter = null;
        var throttled = new System.Collections.Concurrent.ConcurrentDictionary<string, int>();
        _server.Behavior = r => r.Number % 3 == 0 && throttled.AddOrUpdate($"{r.Seed}|{r.User}", 1, (_, n) => n + 1) <= 2 ? FakeReply.Throttle : FakeReply.Ok;
        var spec = await SpecFileAsync(OpenAiSpecs.Yaml("storm", _server.BaseUrl, branches: 60, days: 4, width: 1,
            extra: "  requestsPerMinute: 1200\n  maxConcurrency: 64\n  retries: 10"));
        var run = await RunAsync(spec);
        Assert.True(run.ExitCode == 0, run.Stderr + run.Stdout);

        var requests = _server.Requests.OrderBy(r => r.At).ToList();
        Assert.True(throttled.Values.Sum() > 60, "the storm was too small to measure");
        // The rate while demand exceeds the limit: after the first second (the burst allowance), and before the
        // last tenth of the requests (the tail, when few branches are left, some of them backing off).
        var window = requests.Where(r => r.At >= requests[0].At + TimeSpan.FromSeconds(1)).Take(requests.Count * 9 / 10).ToList();
        // The slope, not the endpoints: a stall then a clump at a window's end read as 22.5/s in CI (2026-11-30) while
        // every whole second but those two saw exactly 20.
        var rate = Rates.PerSecond(window.Select(r => r.At).ToList());
        var perSecond = string.Join(" ", requests.GroupBy(r => (int)(r.At - requests[0].At).TotalSeconds).Select(g => g.Count()));
        Assert.True(rate is >= 18 and <= 22, $"observed {rate:0.0} requests/s for a limit of 20; per second: {perSecond}");

        var status = await StatusAsync("storm");
        Assert.Equal("completed", status.GetProperty("status").GetString());
        Assert.Equal(60 * 4, status.GetProperty("days").GetInt64());
        Assert.Equal(60 * 4, status.GetProperty("entries").GetInt64());
        var keys = (await NotebookLinesAsync("storm"))
            .Select(l => (l.GetProperty("branch").GetInt32(), l.GetProperty("day").GetInt32())).ToList();
        Assert.Equal(keys.Count, keys.Distinct().Count());
    }

    [Fact]
    public async Task RetryAfter_IsHonoured_ByTheWholeSilo()
    {
        _server.RetryAfter = "2";
        _server.Behavior = r => r.Number == 1 ? FakeReply.Throttle : FakeReply.Ok;
        var spec = await SpecFileAsync(OpenAiSpecs.Yaml("retry-after", _server.BaseUrl, branches: 1, days: 2, width: 1));
        var run = await RunAsync(spec);
        Assert.True(run.ExitCode == 0, run.Stderr + run.Stdout);
        var requests = _server.Requests.OrderBy(r => r.At).ToList();
        Assert.Equal(3, requests.Count);
        // The server said two seconds; nothing may come sooner (a lower bound, which a slow machine cannot break).
        Assert.True(requests[1].At - requests[0].At >= TimeSpan.FromSeconds(1.95), $"retried after {(requests[1].At - requests[0].At).TotalSeconds:0.00} s");
        Assert.Equal(requests[0].User, requests[1].User); // the same session, sent again
    }

    [Fact]
    public async Task APauseAnnounced_ByAThrottleThatEndsItsSession_StillHoldsBackEveryOtherSession()
    {
        // The first request is throttled and its session gives up at once (no retries): the pause the server asked
        // for still holds for the next session, which waits for its slot meanwhile.
        _server.RetryAfter = "2";
        _server.Behavior = r => r.Number == 1 ? FakeReply.Throttle : FakeReply.Ok;
        var spec = await SpecFileAsync(OpenAiSpecs.Yaml("give-up", _server.BaseUrl, branches: 1, days: 1, width: 2, extra: "  retries: 0\n  maxConcurrency: 1"));
        await RunAsync(spec);
        var requests = _server.Requests.OrderBy(r => r.At).ToList();
        Assert.Equal(2, requests.Count);
        var throttled = Assert.Single(_server.ThrottledAt);
        Assert.True(requests[1].At - throttled >= TimeSpan.FromSeconds(1.9), $"the next request came {(requests[1].At - throttled).TotalSeconds:0.00} s after the 429 that asked for 2 s");
    }

    [Fact]
    public async Task ServerErrors_MalformedAnswers_AndTimeouts_AreRetried_AndTheLoopCompletes()
    {
        var bad = new[] { FakeReply.ServerError, FakeReply.Malformed, FakeReply.Slow, FakeReply.NotAChatCompletion };
        var firstSeen = new System.Collections.Concurrent.ConcurrentDictionary<string, int>();
        _server.SlowFor = TimeSpan.FromSeconds(5); // the spec's request timeout is 2 s
        // Each session's first attempt gets one kind of failure; its retry succeeds.
        _server.Behavior = r => firstSeen.AddOrUpdate($"{r.Seed}|{r.User}", 1, (_, n) => n + 1) == 1 ? bad[r.Number % bad.Length] : FakeReply.Ok;
        var spec = await SpecFileAsync(OpenAiSpecs.Yaml("flaky", _server.BaseUrl, branches: 4, days: 2, width: 2));
        var run = await RunAsync(spec);
        Assert.True(run.ExitCode == 0, run.Stderr + run.Stdout);
        Assert.Equal(4 * 2 * 2 * 2, _server.Requests.Count);
        var status = await StatusAsync("flaky");
        Assert.Equal("completed", status.GetProperty("status").GetString());
        Assert.Equal(16, status.GetProperty("entries").GetInt64());
    }

    [Fact]
    public async Task AServerThatNeverAnswersWithAChatCompletion_FailsTheLoop_WithTheReasonRecorded()
    {
        _server.Behavior = _ => FakeReply.NotAChatCompletion;
        var spec = await SpecFileAsync(OpenAiSpecs.Yaml("not-chat", _server.BaseUrl, branches: 1, days: 2, width: 1, extra: "  retries: 2"));
        var run = await RunAsync(spec);
        Assert.Equal(1, run.ExitCode);
        Assert.Equal(3, _server.Requests.Count); // one attempt and two retries
        var status = await StatusAsync("not-chat");
        Assert.Equal("failed", status.GetProperty("status").GetString());
        Assert.Equal("every session of day 1 failed: the server's answer is not a chat completion (in 1 of 1 branches)", status.GetProperty("reason").GetString());
        // The branch keeps the whole story: what the server sent, and how many attempts were made.
        using var db = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={Path.Combine(_data, "mimicry.db")};Mode=ReadOnly");
        db.Open();
        using var cmd = db.CreateCommand();
        cmd.CommandText = "SELECT reason FROM branches WHERE loop = 'not-chat'";
        Assert.Matches("^every session of day 1 failed: the server's answer is not a chat completion \\(.+\\) \\(gave up after 3 attempts\\)$", (string)cmd.ExecuteScalar()!);
    }

    [Theory]
    [InlineData("  maxTokens: 3000", "budget: maxTokens reached")]
    [InlineData("  maxCost: 0.01", "budget: maxCost reached")]
    public async Task TokenAndCostBudgets_StopTheLoop_WithTheReason(string budget, string reason)
    {
        var spec = await SpecFileAsync(OpenAiSpecs.Yaml("budget", _server.BaseUrl, branches: 2, days: 50, width: 2, budgets: budget));
        var run = await RunAsync(spec);
        Assert.True(run.ExitCode == 0, run.Stderr + run.Stdout);
        var status = await StatusAsync("budget");
        Assert.Equal("stopped", status.GetProperty("status").GetString());
        Assert.StartsWith($"{reason} (in 2 of 2 branches)", status.GetProperty("reason").GetString(), StringComparison.Ordinal);
        var days = status.GetProperty("days").GetInt64();
        Assert.True(days < 100);
        // Checked before each day: each branch overshoots its share by at most one day's usage.
        var tokens = status.GetProperty("inputTokens").GetInt64() + status.GetProperty("outputTokens").GetInt64();
        var cost = status.GetProperty("cost").GetDouble();
        if (reason.Contains("Tokens", StringComparison.Ordinal))
        {
            Assert.InRange(tokens, 3000, 3000 + 2 * (tokens / (double)days));
        }
        else
        {
            Assert.InRange(cost, 0.01, 0.01 + 2 * (cost / days));
        }
    }

    [Fact]
    public async Task AServersErrorText_IsShownInert_InStatus()
    {
        _server.UnauthorizedMessage = "bad key \u001b[2J\u001b]0;pwned\u0007 (ANSI escapes from the server)";
        _server.Behavior = _ => FakeReply.Unauthorized;
        var spec = await SpecFileAsync(OpenAiSpecs.Yaml("refused", _server.BaseUrl, branches: 1, days: 1, width: 1));
        var run = await RunAsync(spec);
        Assert.Equal(1, run.ExitCode);
        Assert.Single(_server.Requests); // a refused key is not retried
        var status = await CliProcess.RunAsync(TimeSpan.FromMinutes(1), _env, "status", "--data", _data);
        Assert.Contains("every session of day 1 failed: the server refused the API key from $MIMICRY_TEST_KEY", status.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("\u001b", status.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("\u0007", status.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("\u001b", run.Stdout, StringComparison.Ordinal);

        // 'models check' quotes the server's message: without its escape sequences.
        var check = await CliProcess.RunAsync(TimeSpan.FromMinutes(1), _env, "models", "check", "--spec", spec);
        Assert.Equal(1, check.ExitCode);
        Assert.Contains("(401): bad key", check.Stderr, StringComparison.Ordinal);
        Assert.Contains("(ANSI escapes from the server)", check.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("\u001b", check.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("\u0007", check.Stderr, StringComparison.Ordinal);
    }
}
