using System.Net;
using System.Text;
using System.Text.Json;
using Mimicry.Client;
using Mimicry.Grains;

namespace Mimicry.IntegrationTests.Api;

/// <summary>
/// The API end to end over a real Kestrel server and silo: who may do what (every endpoint × every identity), what
/// bad input gets (and that it writes nothing), a seeded fuzzer, the progress stream, and the grains' own refusals.
/// </summary>
public sealed class ApiTests : IAsyncLifetime
{
    private ApiServer _server = null!;

    public async Task InitializeAsync()
    {
        _server = await ApiServer.StartAsync();
        using var operatorClient = _server.Client("operator");
        await operatorClient.SubmitAsync(ApiSpecs.Desk(), "desk.yaml");
        await WaitAsync(async () => (await operatorClient.ListReviewsAsync("desk")).Count == 2, "both branches of 'desk' held for review");
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private static async Task WaitAsync(Func<Task<bool>> done, string what)
    {
        var sw = System.Diagnostics.Stopwatch.StartNew();
        while (!await done())
        {
            if (sw.Elapsed > TimeSpan.FromSeconds(60))
            {
                throw new TimeoutException($"not within 60 s: {what}");
            }
            await Task.Delay(100);
        }
    }

    private static readonly string[] Identities = ["admin", "operator", "reviewer", "researcher", "viewer", "jwt-reviewer", "none", "revoked", "expired", "jwt-expired", "jwt-forged", "mim_0123456789abcdef_forgedforgedforgedforged"];

    private static readonly string[] Read = ["admin", "operator", "reviewer", "viewer", "jwt-reviewer"];
    private static readonly string[] Everyone = [.. Read, "researcher"];
    private static readonly string[] Operate = ["admin", "operator"];
    private static readonly string[] Decide = ["admin", "reviewer", "jwt-reviewer"];
    private static readonly string[] Answer = ["admin", "researcher"];
    private static readonly string[] Admin = ["admin"];

    /// <summary>Each endpoint with a request that, once allowed, gets a known status without changing anything.</summary>
    public static TheoryData<string, string, string?, string, int> Endpoints() => new()
    {
        { "GET", "/api/v1/me", null, string.Join(',', Everyone), 200 },
        { "GET", "/api/v1/loops", null, string.Join(',', Read), 200 },
        { "GET", "/api/v1/loops/desk", null, string.Join(',', Read), 200 },
        { "GET", "/api/v1/loops/desk/spec", null, string.Join(',', Read), 200 },
        { "GET", "/api/v1/loops/desk/branches", null, string.Join(',', Read), 200 },
        { "GET", "/api/v1/loops/desk/calibration", null, string.Join(',', Read), 200 },
        { "DELETE", "/api/v1/session", null, string.Join(',', Everyone), 204 },
        { "GET", "/api/v1/loops/desk/branches/0/notebook", null, string.Join(',', Read), 200 },
        { "GET", "/api/v1/loops/desk/notebook?format=jsonl", null, string.Join(',', Read), 200 },
        { "GET", "/api/v1/loops/nope/events", null, string.Join(',', Read), 404 },
        { "POST", "/api/v1/loops", "yaml:name: Not A Slug", string.Join(',', Operate), 400 },
        { "POST", "/api/v1/loops/nope/cancel", "{}", string.Join(',', Operate), 404 },
        { "POST", "/api/v1/loops/nope/resume", null, string.Join(',', Operate), 404 },
        { "POST", "/api/v1/loops/nope/forks", """{"branch":0,"fromDay":0}""", string.Join(',', Operate), 404 },
        { "GET", "/api/v1/reviews", null, string.Join(',', Read), 200 },
        { "GET", "/api/v1/reviews/desk/0/2/1", null, string.Join(',', Read), 200 },
        { "POST", "/api/v1/reviews/nope/0/1/1/approve", "{}", string.Join(',', Decide), 404 },
        { "POST", "/api/v1/reviews/nope/0/1/1/reject", null, string.Join(',', Decide), 404 },
        { "GET", "/api/v1/probes", null, string.Join(',', Everyone), 200 },
        { "GET", "/api/v1/probes/nope/0/1", null, string.Join(',', Everyone), 404 },
        { "POST", "/api/v1/probes/nope/0/1/answer", """{"text":"x"}""", string.Join(',', Answer), 404 },
        { "POST", "/api/v1/probes/nope/0/1/rate", """{"score":3}""", string.Join(',', Answer), 404 },
        { "POST", "/api/v1/tripwires/check", """{"text":"hello"}""", string.Join(',', Read), 200 },
        { "POST", "/api/v1/tripwires/eval", "{}", string.Join(',', Read), 415 },
        { "POST", "/api/v1/models/check", """{"backend":"nope"}""", string.Join(',', Operate), 400 },
        { "GET", "/api/v1/users", null, string.Join(',', Admin), 200 },
        { "POST", "/api/v1/users", """{"name":"Not A Slug","role":"boss"}""", string.Join(',', Admin), 400 },
        { "DELETE", "/api/v1/users/nope", null, string.Join(',', Admin), 404 },
        { "GET", "/api/v1/tokens", null, string.Join(',', Admin), 200 },
        { "POST", "/api/v1/tokens", """{"user":"nope"}""", string.Join(',', Admin), 404 },
        { "DELETE", "/api/v1/tokens/nope", null, string.Join(',', Admin), 404 },
        { "GET", "/api/v1/audit", null, string.Join(',', Admin), 200 },
    };

    [Theory]
    [MemberData(nameof(Endpoints))]
    public async Task EveryEndpoint_ForEveryIdentity_GetsTheExactStatus(string method, string path, string? body, string allowed, int allowedStatus)
    {
        var mayAct = allowed.Split(',');
        var before = _server.StateFingerprint();
        foreach (var who in Identities)
        {
            using var http = _server.Http(who == "none" ? null : who);
            using var response = await http.SendAsync(Request(method, path, body));
            var expected = who is "none" or "revoked" or "expired" or "jwt-expired" or "jwt-forged" || who.StartsWith("mim_", StringComparison.Ordinal) ? 401
                : mayAct.Contains(who) ? allowedStatus : 403;
            Assert.True((int)response.StatusCode == expected, $"{method} {path} as {who}: expected {expected}, got {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
            if (expected >= 400)
            {
                Assert.StartsWith("application/problem+json", response.Content.Headers.ContentType?.ToString(), StringComparison.Ordinal);
            }
        }
        Assert.Equal(before, _server.StateFingerprint());
    }

    private static HttpRequestMessage Request(string method, string path, string? body)
    {
        var request = new HttpRequestMessage(new HttpMethod(method), path);
        if (body is not null)
        {
            request.Content = body.StartsWith("yaml:", StringComparison.Ordinal)
                ? new StringContent(body[5..], Encoding.UTF8, "application/yaml")
                : new StringContent(body, Encoding.UTF8, "application/json");
        }
        return request;
    }

    [Fact]
    public async Task AForkDryRun_SaysWhatItWouldCharge_AndWritesNothing_AndTheForkThenChargesThat()
    {
        using var http = _server.Http("operator");
        var before = _server.StateFingerprint();
        using var dry = await http.PostAsync("/api/v1/loops/desk/forks?dryRun=true", new StringContent("""{"branch":0,"fromDay":1}""", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.OK, dry.StatusCode);
        var preview = System.Text.Json.JsonSerializer.Deserialize<ForkResult>(await dry.Content.ReadAsStringAsync(), MimicryJson.Options)!;
        Assert.Equal("not started (dry run)", preview.Status);
        Assert.True(preview.ForkBits > 0);
        Assert.Equal(before, _server.StateFingerprint());
        using var bad = await http.PostAsync("/api/v1/loops/desk/forks?dryRun=true", new StringContent("""{"branch":7,"fromDay":1}""", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        using var viewer = _server.Http("viewer");
        Assert.Equal(HttpStatusCode.Forbidden, (await viewer.PostAsync("/api/v1/loops/desk/forks?dryRun=true", new StringContent("""{"branch":0,"fromDay":1}""", Encoding.UTF8, "application/json"))).StatusCode);

        var made = await _server.Client("operator").ForkAsync("desk", new ForkRequest(0, 1));
        Assert.Equal((preview.Loop, preview.ForkBits), (made.Loop, made.ForkBits));
    }

    [Fact]
    public async Task AResearcher_SeesOnlyTheirOwnProbes_Blind_AndADecision_RecordsTheSignedInReviewer()
    {
        using var alice = _server.Client("researcher");
        using var bob = _server.Client("researcher-bob");
        var mine = await alice.ListProbesAsync("desk");
        Assert.NotEmpty(mine);
        Assert.All(mine, p => Assert.Equal(("alice", null), (p.Calibrator, p.Simulated)));
        Assert.Empty(await bob.ListProbesAsync("desk"));
        var id = mine[0].Id;
        var hidden = await Assert.ThrowsAsync<MimicryApiException>(() => bob.GetProbeAsync(id));
        Assert.Equal(HttpStatusCode.NotFound, hidden.Status);
        var notHers = await Assert.ThrowsAsync<MimicryApiException>(() => bob.AnswerProbeAsync(id, "my answer"));
        Assert.Equal(HttpStatusCode.NotFound, notHers.Status);
        var answered = await alice.AnswerProbeAsync(id, "Tried a, b and c for lemma 1.");
        Assert.Equal("answered", answered.State);
        Assert.NotNull((await alice.GetProbeAsync(id)).Simulated);

        using var rita = _server.Client("reviewer");
        var approved = await rita.ApproveAsync("desk/0/2/1");
        Assert.Equal(("approved", "rita"), (approved.State, approved.DecidedBy));
        var again = await Assert.ThrowsAsync<MimicryApiException>(() => rita.RejectAsync("desk/0/2/1"));
        Assert.Equal(HttpStatusCode.Conflict, again.Status);

        using var admin = _server.Client("admin");
        var audit = await admin.ListAuditAsync(50);
        Assert.Contains(audit, e => e is { User: "rita", Action: "review.approve", Target: "desk/0/2/1", Outcome: "ok" });
        Assert.Contains(audit, e => e is { User: "alice", Action: "probe.answer", Outcome: "ok" } && e.Target == id);
        Assert.Contains(audit, e => e is { User: "otto", Action: "loop.submit", Outcome: "ok" });
    }

    [Fact]
    public async Task BadInput_GetsProblemDetailsNamingTheField_AndWritesNothing()
    {
        using var http = _server.Http("admin");
        var before = _server.StateFingerprint();
        async Task<JsonElement> Refused(HttpRequestMessage request, int status)
        {
            using var response = await http.SendAsync(request);
            var text = await response.Content.ReadAsStringAsync();
            Assert.True((int)response.StatusCode == status, $"{request.Method} {request.RequestUri}: expected {status}, got {(int)response.StatusCode}: {text}");
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            Assert.DoesNotContain("   at ", text, StringComparison.Ordinal);
            return JsonDocument.Parse(text).RootElement.Clone();
        }
        static string[] Errors(JsonElement p) => p.TryGetProperty("errors", out var e) ? e.EnumerateArray().Select(x => x.GetString()!).ToArray() : [];

        var spec = await Refused(Request("POST", "/api/v1/loops?file=bad.yaml", "yaml:" + ApiSpecs.Plain("bad", branches: 0).Replace("width: 2", "width: 0", StringComparison.Ordinal) + "\ncolour: red"), 400);
        Assert.Equal(["bad.yaml: branches: must be between 1 and 1000000 (got 0)", "bad.yaml: width: must be between 1 and 256 (got 0)"], Errors(spec).Where(e => !e.Contains("colour", StringComparison.Ordinal)).Order());
        Assert.Contains(Errors(spec), e => e.StartsWith("bad.yaml: colour: unknown field", StringComparison.Ordinal));
        var userInfo = await Refused(Request("POST", "/api/v1/loops", "yaml:" + ApiSpecs.Plain("leak").Replace("  kind: synthetic\n  latency: 0ms", "  kind: openai\n  baseUrl: http://user:secret@127.0.0.1:9/v1\n  model: m", StringComparison.Ordinal)), 400);
        Assert.Contains(Errors(userInfo), e => e.StartsWith("spec: simulator.baseUrl: must not carry a user name or password", StringComparison.Ordinal));
        Assert.Equal(["body: has the wrong type or is not valid JSON"], Errors(await Refused(Request("POST", "/api/v1/probes/desk/0/1/answer", "{not json"), 400)));
        Assert.Equal(["text: has the wrong type or is not valid JSON"], Errors(await Refused(Request("POST", "/api/v1/probes/desk/0/1/answer", """{"text": 5}"""), 400)));
        Assert.Equal(["extra: unknown field"], Errors(await Refused(Request("POST", "/api/v1/probes/desk/0/1/answer", """{"text": "x", "extra": 1}"""), 400)));
        Assert.Equal(["score: must be 1 to 5 (got 9)"], Errors(await Refused(Request("POST", "/api/v1/probes/desk/0/1/rate", """{"score": 9}"""), 400)));
        Assert.Equal(["picks: review desk/1/2/1 has no candidate 7 (its candidates are 0, 1)"], Errors(await Refused(Request("POST", "/api/v1/reviews/desk/1/2/1/approve", """{"picks": [7]}"""), 400)));
        Assert.Equal(["limit: must be between 1 and 1000 (got 0)"], Errors(await Refused(Request("GET", "/api/v1/loops/desk/branches/0/notebook?limit=0", null), 400)));
        await Refused(Request("POST", "/api/v1/loops", "yaml:" + new string('#', 70_000)), 413);
        await Refused(Request("POST", "/api/v1/loops/desk/cancel", "{\"reason\": \"" + new string('x', 70_000) + "\"}"), 413);
        var forkErrors = Errors(await Refused(Request("POST", "/api/v1/loops/desk/forks", """{"branch": 9, "fromDay": 0, "set": ["colour=red"]}"""), 400));
        Assert.Contains(forkErrors, e => e.StartsWith("branch: must be between 0 and 1 for loop 'desk' (got 9)", StringComparison.Ordinal));
        await Refused(Request("GET", "/api/v1/reviews/desk/0/9/1", null), 404);
        await Refused(Request("GET", "/api/v1/nothing-here", null), 404);
        await Refused(new HttpRequestMessage(HttpMethod.Post, "/api/v1/loops") { Content = new StringContent("<xml/>", Encoding.UTF8, "application/xml") }, 415);
        Assert.Equal(before, _server.StateFingerprint());
    }

    [Fact]
    public async Task ASeededFuzzer_Of2000Requests_GetsNo5xx_AndRefusedRequestsWriteNothing()
    {
        var random = new Random(20261130);
        string[] paths =
        [
            "/api/v1/loops", "/api/v1/loops/desk", "/api/v1/loops/desk/cancel", "/api/v1/loops/desk/resume", "/api/v1/loops/desk/forks",
            "/api/v1/loops/desk/branches/0/notebook", "/api/v1/loops/desk/notebook", "/api/v1/reviews", "/api/v1/reviews/desk/1/2/1/approve",
            "/api/v1/reviews/desk/1/2/1/reject", "/api/v1/probes", "/api/v1/probes/desk/0/1/answer", "/api/v1/probes/desk/1/1/rate", "/api/v1/users",
            "/api/v1/tokens", "/api/v1/audit", "/api/v1/tripwires/check", "/api/v1/tripwires/eval", "/api/v1/me",
        ];
        string[] who = ["viewer", "researcher", "reviewer", "none", "revoked", "admin"];
        string[] methods = ["GET", "POST", "PUT", "DELETE", "PATCH"];
        string[] fragments = ["{", "}", "[", "]", "\"text\"", "\"score\"", "\"picks\"", "\"branch\"", "\"fromDay\"", "\"set\"", "\"name\"", "\"role\"", "\"user\"", ":", ",", "null", "-1",
            "99999999999", "1e308", "\"\u001b[31m\"", "\"\\u0000\"", "true", "\"../../etc/passwd\"", "\"admin\"", "%", "?", "\u00e9", "\"reason\""];
        // Nothing may move by itself while the fuzzer runs: the loop is cancelled (its held days then cannot be decided).
        using (var admin = _server.Client("admin"))
        {
            await admin.CancelAsync("desk", "quiet for the fuzzer");
        }
        var settled = "";
        await WaitAsync(async () =>
        {
            await Task.Delay(300);
            var now = _server.StateFingerprint();
            (var was, settled) = (settled, now);
            return was == now;
        }, "the cancelled loop's last writes");
        var statuses = new Dictionary<int, int>();
        var fingerprint = _server.StateFingerprint();
        for (var i = 0; i < 2000; i++)
        {
            var path = paths[random.Next(paths.Length)];
            if (random.Next(4) == 0)
            {
                // Mangle the path: odd ids, escapes, long segments, query strings.
                var junk = random.Next(5) switch
                {
                    0 => "/%2e%2e/%00",
                    1 => "/" + new string('a', random.Next(1, 3000)),
                    2 => "?limit=" + random.Next(-5, 5000) + "&fromDay=" + random.Next(-5, 50) + "&format=" + (random.Next(2) == 0 ? "md" : "xml"),
                    3 => "/-1/" + random.Next() + "/x",
                    _ => "?loop=%1b%5b31m&pending=maybe",
                };
                path += junk;
            }
            var body = new StringBuilder();
            for (var k = random.Next(0, 12); k > 0; k--)
            {
                body.Append(fragments[random.Next(fragments.Length)]);
            }
            using var http = _server.Http(who[random.Next(who.Length)] is var w && w == "none" ? null : w);
            var request = new HttpRequestMessage(new HttpMethod(methods[random.Next(methods.Length)]), path);
            if (random.Next(3) > 0)
            {
                request.Content = new StringContent(random.Next(10) == 0 ? "yaml: [" + body : body.ToString(), Encoding.UTF8,
                    random.Next(6) switch { 0 => "application/yaml", 1 => "text/plain", 2 => "application/octet-stream", _ => "application/json" });
            }
            using var response = await http.SendAsync(request);
            var status = (int)response.StatusCode;
            statuses[status] = statuses.GetValueOrDefault(status) + 1;
            Assert.True(status < 500, $"request {i}: {request.Method} {path} with '{body}' got {status}: {await response.Content.ReadAsStringAsync()}");
            var now = _server.StateFingerprint();
            if (status >= 300)
            {
                Assert.True(now == fingerprint, $"request {i}: {request.Method} {path} with '{body}' was refused ({status}) but changed the state");
            }
            fingerprint = now;
        }
        // The fuzzer reached past sign-in and authorization into the handlers, not only the front door.
        Assert.True(statuses.GetValueOrDefault(400) > 50 && statuses.GetValueOrDefault(401) > 50 && statuses.GetValueOrDefault(403) > 50,
            string.Join(", ", statuses.OrderBy(s => s.Key).Select(s => $"{s.Key}: {s.Value}")));
    }

    [Fact]
    public async Task TheProgressStream_FollowsALoopToCompletion_AndResumesAfterADroppedConnection()
    {
        using var operatorClient = _server.Client("operator");
        await operatorClient.SubmitAsync(ApiSpecs.Plain("followed", branches: 2, days: 6, latency: "40ms"));
        // The first connection breaks after its first event; the client reconnects and still sees the end.
        using var handler = new DroppingHandler();
        using var flaky = new MimicryClient(_server.Url, _server.Tokens["viewer"], handler);
        var seen = new List<LoopView>();
        await foreach (var view in flaky.FollowAsync("followed", TimeSpan.FromMilliseconds(100)))
        {
            seen.Add(view);
        }
        Assert.True(handler.Dropped >= 1, "the stream was never dropped");
        Assert.True(handler.Connections >= 2, $"{handler.Connections} connection(s)");
        Assert.Equal(("completed", 12L), (seen[^1].State, seen[^1].Days));
        Assert.True(seen.Count >= 2);

        // A client that comes back after the end gets the final state at once.
        using var late = _server.Client("viewer");
        var after = new List<LoopView>();
        await foreach (var view in late.FollowAsync("followed"))
        {
            after.Add(view);
        }
        Assert.Equal(("completed", 12L), (after.Single().State, after.Single().Days));
    }

    [Fact]
    public async Task ProgressStreams_AreBounded_AndAFreedSlotIsReused()
    {
        using var operatorClient = _server.Client("operator");
        await operatorClient.SubmitAsync(ApiSpecs.Plain("long", branches: 1, days: 200, latency: "200ms"));
        using var http = _server.Http("viewer");
        var open = new List<HttpResponseMessage>();
        for (var i = 0; i < 3; i++)
        {
            open.Add(await http.GetAsync("/api/v1/loops/long/events", HttpCompletionOption.ResponseHeadersRead));
            Assert.Equal(HttpStatusCode.OK, open[^1].StatusCode);
        }
        using (var refused = await http.GetAsync("/api/v1/loops/long/events", HttpCompletionOption.ResponseHeadersRead))
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.StatusCode);
            Assert.Equal("5", refused.Headers.RetryAfter?.ToString());
        }
        open[0].Dispose();
        await WaitAsync(async () =>
        {
            using var again = await http.GetAsync("/api/v1/loops/long/events", HttpCompletionOption.ResponseHeadersRead);
            return again.StatusCode == HttpStatusCode.OK;
        }, "a stream slot freed by a client that went away");
        open.ForEach(r => r.Dispose());
        await operatorClient.CancelAsync("long");
    }

    [Fact]
    public async Task TheGrains_RefuseSpecsThatDidNotComeThroughTheReader()
    {
        var good = Mimicry.SpecReading.SpecReader.Parse("g.yaml", ApiSpecs.Plain("grain-defence"), DateTimeOffset.UtcNow);
        var loop = _server.Grains.GetGrain<ILoopGrain>("grain-defence");
        var width = await Assert.ThrowsAsync<ArgumentException>(() => loop.Start(good with { Width = 0 }));
        Assert.Contains("width: must be between 1 and 256 (got 0)", width.Message, StringComparison.Ordinal);
        var bits = await Assert.ThrowsAsync<ArgumentException>(() => loop.Start(good with { Branches = 1, Fork = new Mimicry.Spec.ForkSpec("desk", 0, 1, -5, []) }));
        Assert.Contains("fork.bits: must be a finite number, 0 or more", bits.Message, StringComparison.Ordinal);
        var named = await Assert.ThrowsAsync<ArgumentException>(() => _server.Grains.GetGrain<ILoopGrain>("evil\u001b[2J").Start(good with { Name = "evil\u001b[2J" }));
        Assert.Contains("name: must be 1-64 lower-case letters", named.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("\u001b", named.Message, StringComparison.Ordinal);
        var elsewhere = await Assert.ThrowsAsync<ArgumentException>(() => loop.Start(good with { Name = "desk" }));
        Assert.Contains("is not this loop", elsewhere.Message, StringComparison.Ordinal);

        // A branch runs only its loop's stored spec.
        var desk = Mimicry.SpecReading.SpecJson.Deserialize(await _server.Client("admin").GetSpecJsonAsync("desk"));
        var branch = _server.Grains.GetGrain<IBranchGrain>(GrainKeys.Branch("desk", 0));
        var swapped = await Assert.ThrowsAsync<ArgumentException>(() => branch.Start(desk with { Width = 1, Selection = new Mimicry.Spec.SelectionSpec(Mimicry.Spec.SelectionKind.All, 1) }, 0));
        Assert.Contains("is not the one stored for loop 'desk'", swapped.Message, StringComparison.Ordinal);
        var other = await Assert.ThrowsAsync<ArgumentException>(() => branch.Start(desk, 1));
        Assert.Contains("do not name this branch", other.Message, StringComparison.Ordinal);
        Assert.Null(await Record("grain-defence"));

        // And nothing outside this process can call a grain: the embedded silo opens no Orleans gateway.
        Assert.Equal(0, _server.EndpointOptions.GatewayPort);
        Assert.Null(_server.EndpointOptions.GatewayListeningEndpoint);
    }

    [Fact]
    public async Task OnASharedServe_OnlyItsAdmin_MayNameModelUrlsKeyVariablesOrFiles()
    {
        var inline = ApiSpecs.Plain("inline").Replace("  kind: synthetic\n  latency: 0ms", "  kind: openai\n  baseUrl: http://127.0.0.1:9/v1\n  model: m\n  apiKeyVariable: HOME", StringComparison.Ordinal);
        using var operatorClient = _server.Client("operator");
        var refused = await Assert.ThrowsAsync<MimicryApiException>(() => operatorClient.SubmitAsync(inline, "inline.yaml"));
        Assert.Contains("inline.yaml: simulator.apiKeyVariable: this server reads no environment variables named by specs; its backends hold their own keys", refused.Errors);
        using var admin = _server.Client("admin");
        var accepted = await admin.SubmitAsync(inline, "inline.yaml");
        Assert.Equal("inline", accepted.Loop);
        await admin.CancelAsync("inline");
    }

    private async Task<string?> Record(string loop)
    {
        using var admin = _server.Client("admin");
        return (await admin.ListLoopsAsync()).FirstOrDefault(l => l.Loop == loop)?.Loop;
    }

    [Fact]
    public async Task TheClient_PagesANotebook_SubmitsJson_AndTheOpenApiDocumentListsEveryEndpoint()
    {
        using var operatorClient = _server.Client("operator");
        var json = JsonSerializer.Serialize(new
        {
            name = "paged", researcher = new { id = "ada", name = "Ada" }, question = "q?", anchor = new { policy = "fixed", time = "2026-11-01T09:00:00Z" },
            days = 7, branches = 1, width = 1,
        });
        await operatorClient.SubmitAsync(json);
        await WaitAsync(async () => (await operatorClient.GetLoopAsync("paged")).Settled, "'paged' done");
        var first = await operatorClient.GetNotebookAsync("paged", 0, 1, 3);
        Assert.Equal([1, 2, 3], first.Days.Select(d => d.Day));
        Assert.Equal(4, first.NextFromDay);
        var all = new List<int>();
        await foreach (var d in operatorClient.ReadNotebookAsync("paged", 0))
        {
            all.Add(d.Day);
        }
        Assert.Equal(Enumerable.Range(1, (int)(await operatorClient.GetLoopAsync("paged")).Days), all);

        using var anonymous = new HttpClient { BaseAddress = _server.Url };
        var doc = JsonDocument.Parse(await anonymous.GetStringAsync("/openapi/v1.json")).RootElement;
        var documented = doc.GetProperty("paths").EnumerateObject().Select(p => p.Name).ToHashSet();
        foreach (var path in new[] { "/api/v1/loops", "/api/v1/loops/{loop}/events", "/api/v1/reviews/{loop}/{branch}/{day}/{attempt}/approve", "/api/v1/probes/{loop}/{branch}/{day}/answer", "/api/v1/tokens" })
        {
            Assert.Contains(path, documented);
        }
        using var reference = await anonymous.GetAsync("/api/reference");
        Assert.Equal(HttpStatusCode.OK, reference.StatusCode);
        Assert.DoesNotContain("cdn.", await reference.Content.ReadAsStringAsync(), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task ANotebookExportFarLargerThanItsBuffer_ArrivesWhole_InBothFormats()
    {
        // The export's writer once flushed a full 64 KB buffer synchronously, which Kestrel refuses: the response
        // ended half-way ("The response ended prematurely") for any branch of more than about 64 KB.
        using var operatorClient = _server.Client("operator");
        var json = JsonSerializer.Serialize(new
        {
            name = "large", researcher = new { id = "ada", name = "Ada" }, question = "q?", anchor = new { policy = "fixed", time = "2026-11-01T09:00:00Z" },
            days = 100, branches = 2, width = 8, selection = "all", simulator = new { kind = "synthetic", lemmas = 10_000 },
        });
        await operatorClient.SubmitAsync(json);
        await WaitAsync(async () => (await operatorClient.GetLoopAsync("large")).Settled, "'large' done");
        var entries = (await operatorClient.GetLoopAsync("large")).Entries;
        using var jsonl = new StreamReader(await operatorClient.ExportNotebookAsync("large", "jsonl"));
        var text = await jsonl.ReadToEndAsync();
        var lines = text.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(entries, lines.Length);
        Assert.True(text.Length > 4 * 64 * 1024, $"only {text.Length} characters: not large enough to test the buffer");
        Assert.All(lines, l => JsonDocument.Parse(l).Dispose());
        using var md = new StreamReader(await operatorClient.ExportNotebookAsync("large", "md"));
        var markdown = await md.ReadToEndAsync();
        Assert.Equal(entries, System.Text.RegularExpressions.Regex.Count(markdown, "^### Day ", System.Text.RegularExpressions.RegexOptions.Multiline));
        Assert.Contains("## Branch 1 (100 of 100 days)", markdown, StringComparison.Ordinal);
    }

    /// <summary>Breaks the first progress stream after its first event, as a proxy or a network blip would.</summary>
    private sealed class DroppingHandler() : DelegatingHandler(new SocketsHttpHandler())
    {
        public int Connections;
        public int Dropped;

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var response = await base.SendAsync(request, cancellationToken);
            if (request.RequestUri!.AbsolutePath.EndsWith("/events", StringComparison.Ordinal) && Interlocked.Increment(ref Connections) == 1)
            {
                var inner = await response.Content.ReadAsStreamAsync(cancellationToken);
                var content = new StreamContent(new BreakingStream(inner, () => Interlocked.Increment(ref Dropped)));
                foreach (var h in response.Content.Headers)
                {
                    content.Headers.TryAddWithoutValidation(h.Key, h.Value);
                }
                response.Content = content;
            }
            return response;
        }
    }

    /// <summary>Passes the first event through, then fails like a dropped connection.</summary>
    private sealed class BreakingStream(Stream inner, Action onDrop) : Stream
    {
        private bool _passed;
        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer, offset, count).GetAwaiter().GetResult();

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            if (_passed)
            {
                onDrop();
                throw new IOException("connection reset (test)");
            }
            var n = await inner.ReadAsync(buffer, cancellationToken);
            _passed = n > 0 && Encoding.UTF8.GetString(buffer.Span[..n]).Contains("\n\n", StringComparison.Ordinal);
            return n;
        }

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) => ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                inner.Dispose();
            }
            base.Dispose(disposing);
        }
    }

    [Fact]
    public async Task TheTripwireEval_ScoresACorpusSentAsJsonLines_AndNamesTheLineOfABadOne()
    {
        using var viewer = _server.Http("viewer");
        const string corpus = """
            {"id":"1","label":"trip","category":"future","subcategory":"year","anchor":"2026-01-01T00:00:00Z","text":"This was settled in 2031."}
            {"id":"2","label":"benign","category":"benign","subcategory":"math","anchor":"2026-01-01T00:00:00Z","text":"2029 is prime."}
            """;
        using var ok = await viewer.PostAsync(new Uri(_server.Url, "/api/v1/tripwires/eval"), new StringContent(corpus, System.Text.Encoding.UTF8, "application/x-ndjson"));
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        using (var doc = JsonDocument.Parse(await ok.Content.ReadAsStringAsync()))
        {
            Assert.Equal(2, doc.RootElement.GetProperty("texts").GetInt32());
            Assert.Equal(1.0, doc.RootElement.GetProperty("recall").GetDouble());
            Assert.Equal(0.0, doc.RootElement.GetProperty("falseHits").GetDouble());
        }
        using var bad = await viewer.PostAsync(new Uri(_server.Url, "/api/v1/tripwires/eval"), new StringContent(corpus + "\n{\"id\":\"3\",\"label\":\"perhaps\"}", System.Text.Encoding.UTF8, "application/x-ndjson"));
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Contains("corpus, line 3: label", await bad.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        using var researcher = _server.Http("researcher");
        Assert.Equal(HttpStatusCode.Forbidden, (await researcher.PostAsync(new Uri(_server.Url, "/api/v1/tripwires/eval"), new StringContent(corpus, System.Text.Encoding.UTF8, "application/x-ndjson"))).StatusCode);
    }
}
