using System.Diagnostics;
using Mimicry.Client;
using Mimicry.Hosting;
using Mimicry.IntegrationTests.Api;
using Mimicry.IntegrationTests.Models;
using Mimicry.Telemetry;
using OpenTelemetry;
using OpenTelemetry.Trace;

namespace Mimicry.IntegrationTests.Observability;

/// <summary>
/// Spans as an operator's collector receives them: the SDK's in-memory exporter, fed by the sources the hosts export
/// (<see cref="MimicryTelemetryExtensions.AddTraceSources"/>), from a real server driven through its HTTP API.
/// </summary>
/// <remarks>Alone: its tracer provider records every span in the process, and a 200-branch loop under it would slow the other classes' loops.</remarks>
[Collection(TimingSensitive.Name)]
public sealed class TraceChainTests : IAsyncLifetime
{
    private readonly List<Activity> _spans = [];
    private TracerProvider _tracing = null!;
    private ApiServer _server = null!;
    private FakeOpenAiServer _model = null!;

    public async Task InitializeAsync()
    {
        _tracing = MimicryTelemetryExtensions.AddTraceSources(Sdk.CreateTracerProviderBuilder())
            .SetSampler(new AlwaysOnSampler())
            .AddInMemoryExporter(_spans)
            .Build()!;
        _model = await FakeOpenAiServer.StartAsync();
        Environment.SetEnvironmentVariable("MIMICRY_TRACE_TEST_KEY", "sk-trace-test");
        _server = await ApiServer.StartAsync();
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        await _model.DisposeAsync();
        _tracing.Dispose();
    }

    private List<Activity> Spans()
    {
        _tracing.ForceFlush();
        lock (_spans)
        {
            return [.. _spans];
        }
    }

    [Fact]
    public async Task EveryDayOfA200BranchLoop_HangsBelowTheApiRequestThatSubmittedIt_DownToItsSessionsAndAppend()
    {
        var client = _server.Client("operator");
        await client.SubmitAsync(ApiSpecs.Plain("traced", branches: 200, days: 3));
        await WaitAsync(async () => (await client.GetLoopAsync("traced")).State == "completed", "the loop did not complete");

        var spans = Spans();
        var byId = spans.GroupBy(s => (s.TraceId, s.SpanId)).ToDictionary(g => g.Key, g => g.First());
        var days = spans.Where(s => s.OperationName == "mimicry.day" && (string?)s.GetTagItem(MimicryTelemetry.LoopTag) == "traced").ToList();
        Assert.Equal(600, days.Count);
        var connected = 0;
        var example = "";
        foreach (var day in days)
        {
            // Up from the day: branch start, loop start, the Orleans call, the HTTP request at the top.
            var chain = new List<Activity>();
            for (var s = day; s.ParentSpanId != default && byId.TryGetValue((s.TraceId, s.ParentSpanId), out var parent); s = parent)
            {
                chain.Add(parent);
            }
            var root = chain.Count > 0 ? chain[^1] : day;
            var below = spans.Where(s => s.TraceId == day.TraceId && s.ParentSpanId != default && Descends(s, day, byId)).ToList();
            if (example.Length == 0)
            {
                example = $"a day's ancestors: {string.Join(" < ", chain.Select(s => $"{s.DisplayName} ({s.Kind})"))}; root parent {root.ParentSpanId}; below it: {string.Join(", ", below.GroupBy(s => s.OperationName).Select(g => $"{g.Key} ×{g.Count()}"))}";
            }
            // The top is the API's server span (or, above it, this test's HTTP client span that called it).
            if (root.ParentSpanId == default && chain.Any(s => s.Kind == ActivityKind.Server && s.DisplayName == "POST /api/v1/loops")
                && chain.Any(s => s.OperationName == "mimicry.loop.start")
                && below.Count(s => s.OperationName == "mimicry.session") == 2
                && below.Count(s => s.OperationName == "mimicry.simulator") == 2
                && below.Count(s => s.OperationName == "mimicry.append") == 1)
            {
                connected++;
            }
        }
        Assert.True(connected >= days.Count * 99 / 100, $"{connected} of {days.Count} days in one connected trace from the API request down to the append; {example}");
    }

    [Fact]
    public async Task AModelCall_CarriesTheGenAiConventions_AndAFailedSession_IsAnErrorWithItsException()
    {
        // The first request is refused for good (401): that session fails; the others answer.
        var first = 0;
        _model.Behavior = _ => Interlocked.Increment(ref first) == 1 ? FakeReply.Unauthorized : FakeReply.Ok;
        var client = _server.Client("admin");
        await client.SubmitAsync(OpenAiSpecs.Yaml("genai", _model.BaseUrl, branches: 1, days: 2, width: 2, keyVariable: "MIMICRY_TRACE_TEST_KEY"));
        await WaitAsync(async () => (await client.GetLoopAsync("genai")).State != "running", "the loop did not end");

        var spans = Spans();
        var byId = spans.GroupBy(s => (s.TraceId, s.SpanId)).ToDictionary(g => g.Key, g => g.First());
        var sessions = spans.Where(s => s.OperationName == "mimicry.session" && (string?)s.GetTagItem(MimicryTelemetry.LoopTag) == "genai").ToList();
        var chats = spans.Where(s => s.Source.Name == MimicryTelemetry.GenAiName && sessions.Any(x => x.TraceId == s.TraceId)).ToList();
        Assert.NotEmpty(chats);
        foreach (var chat in chats)
        {
            Assert.Equal("chat", chat.GetTagItem("gen_ai.operation.name"));
            Assert.Equal("test-model-1", chat.GetTagItem("gen_ai.request.model"));
            Assert.Equal(ActivityKind.Client, chat.Kind);
            // Under the session's simulator span, in the day's trace.
            Assert.True(byId.TryGetValue((chat.TraceId, chat.ParentSpanId), out var parent) && parent.OperationName == "mimicry.simulator", "a model call is not under its simulator span");
            // Never the prompt or the answer: notebooks and model text stay out of traces.
            Assert.DoesNotContain(chat.TagObjects, t => t.Key.StartsWith("gen_ai.input", StringComparison.Ordinal) || t.Key.StartsWith("gen_ai.output", StringComparison.Ordinal));
        }
        var answered = chats.Where(c => c.Status != ActivityStatusCode.Error).ToList();
        Assert.NotEmpty(answered);
        Assert.All(answered, c => Assert.True(Convert.ToInt64(c.GetTagItem("gen_ai.usage.input_tokens"), System.Globalization.CultureInfo.InvariantCulture) > 0));

        var failed = Assert.Single(sessions, s => s.Status == ActivityStatusCode.Error);
        Assert.Contains("API key", failed.StatusDescription, StringComparison.Ordinal);
        var exception = Assert.Single(failed.Events, e => e.Name == "exception");
        Assert.Contains(exception.Tags, t => t.Key == "exception.type" && (string?)t.Value == typeof(Mimicry.Models.OpenAi.ModelCallException).FullName);
        Assert.Contains(chats, c => c.Status == ActivityStatusCode.Error && c.TraceId == failed.TraceId);
        Assert.All(sessions.Where(s => s != failed), s => Assert.NotEqual(ActivityStatusCode.Error, s.Status));
    }

    private static bool Descends(Activity span, Activity ancestor, Dictionary<(ActivityTraceId, ActivitySpanId), Activity> byId)
    {
        for (var s = span; s.ParentSpanId != default; )
        {
            if (s.ParentSpanId == ancestor.SpanId)
            {
                return true;
            }
            if (!byId.TryGetValue((s.TraceId, s.ParentSpanId), out var parent))
            {
                return false;
            }
            s = parent;
        }
        return false;
    }

    private static async Task WaitAsync(Func<Task<bool>> done, string what)
    {
        var deadline = DateTime.UtcNow.AddSeconds(120);
        while (!await done())
        {
            Assert.True(DateTime.UtcNow < deadline, what);
            await Task.Delay(100);
        }
    }
}
