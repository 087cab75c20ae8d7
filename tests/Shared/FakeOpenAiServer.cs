using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Mimicry.Tests.Shared;

/// <summary>What the server does with one request.</summary>
public enum FakeReply
{
    Ok,
    Throttle,
    ServerError,
    Slow,
    Malformed,
    NotAChatCompletion,
    Unauthorized,
    UnknownModel,
    /// <summary>A chat completion whose message is about 10 MB of text.</summary>
    Huge,
    /// <summary>An answer that never ends: the start of a chat completion, then a byte every 100 ms until the client leaves.</summary>
    Endless,
}

/// <summary>A request as the server received it.</summary>
internal sealed record RecordedRequest(int Number, TimeSpan At, string? Authorization, string Model, string System, string User, long? Seed, int? MaxTokens, JsonNode Body);

/// <summary>
/// An OpenAI-wire-compatible chat-completions server on 127.0.0.1 (real Kestrel, real HTTP), for tests: it records
/// every request and answers each as <see cref="Behavior"/> says. Answers are a pure function of the request, so a
/// loop against it is reproducible; usage counts about four characters a token.
/// </summary>
internal sealed class FakeOpenAiServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private int _count;

    public ConcurrentQueue<RecordedRequest> Requests { get; } = new();

    /// <summary>Decides each reply from the request (numbered from 1 in arrival order).</summary>
    public Func<RecordedRequest, FakeReply> Behavior { get; set; } = _ => FakeReply.Ok;

    /// <summary>The Retry-After header a throttle carries (null: none).</summary>
    public string? RetryAfter { get; set; } = "1";

    public TimeSpan SlowFor { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>The error message a 401 carries (a server's text, which Mimicry must show inertly).</summary>
    public string UnauthorizedMessage { get; set; } = "Incorrect API key provided";

    /// <summary>The error message a 500 carries (a server's text, which Mimicry must show inertly).</summary>
    public string ServerErrorMessage { get; set; } = "The server had an error while processing your request";

    /// <summary>The text of a good answer instead of <see cref="AnswerFor"/>, when this returns one (a fake critic, say).</summary>
    public Func<RecordedRequest, string?>? Answer { get; set; }

    /// <summary>
    /// When set, usage reports <c>prompt_tokens_details.cached_tokens</c> as a provider's automatic prefix cache would: the
    /// tokens of the longest start this request shares with an earlier one, in whole blocks of <see cref="CacheBlock"/> tokens.
    /// </summary>
    public bool ReportCachedTokens { get; set; }

    public const int CacheBlock = 16;

    /// <summary>The model's context window (0: none): a request whose prompt and max_tokens exceed it is refused with 400, as servers do.</summary>
    public int ContextLimit { get; set; }

    /// <summary>Requests refused for exceeding <see cref="ContextLimit"/>.</summary>
    public int OverLimit => _overLimit;

    private int _overLimit;

    private readonly List<string> _seenPrompts = [];

    /// <summary>What the fake prompt cache served of <paramref name="r"/> (0 unless <see cref="ReportCachedTokens"/>).</summary>
    public int CachedTokensOf(RecordedRequest r) => _cached.TryGetValue(r.Number, out var n) ? n : 0;

    private readonly ConcurrentDictionary<int, int> _cached = new();

    /// <summary>Text put in front of every good answer (a hostile model's escape sequences, say).</summary>
    public string AnswerPrefix { get; set; } = "";

    /// <summary>When each throttle was answered (the start of the pause it announced), on <see cref="Requests"/>' clock.</summary>
    public ConcurrentQueue<TimeSpan> ThrottledAt { get; } = new();

    public string BaseUrl { get; }

    /// <summary>The model name the server says answered (default: the one asked for); a hostile server's text.</summary>
    public string? AnsweredModel { get; set; }

    private const string Arrived = "fake-openai-arrived";

    private TimeSpan Now => _clock.Elapsed;

    private FakeOpenAiServer(WebApplication app, string baseUrl)
    {
        _app = app;
        BaseUrl = baseUrl;
    }

    public static async Task<FakeOpenAiServer> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(o => o.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        FakeOpenAiServer? server = null;
        // A request's time is taken as early as the server sees it, before routing and reading its body.
        app.Use((context, next) =>
        {
            context.Items[Arrived] = server!.Now;
            return next(context);
        });
        app.MapPost("/v1/chat/completions", (HttpContext context) => server!.HandleAsync(context));
        await app.StartAsync();
        var address = app.Urls.First();
        server = new FakeOpenAiServer(app, address + "/v1");
        return server;
    }

    /// <summary>What a good answer says: a function of the prompt and the seed only (like a model at temperature 0 with a seed).</summary>
    public static string AnswerFor(string user, long? seed) =>
        $"Notes for today. I reread my notebook ({user.Length} characters) and worked on the question. Reference {Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(Encoding.UTF8.GetBytes($"{seed}|{user}")))[..12]}.";

    public static int TokensOf(string text) => Math.Max(1, text.Length / 4);

    /// <summary>What a provider's prompt cache sees of a request: its messages in order.</summary>
    public static string PromptText(RecordedRequest r) => r.System + "\n" + r.User;

    /// <summary>
    /// The share of all prompt characters that is a prefix of an earlier request (in arrival order): what a provider's
    /// automatic prefix cache could have served from requests it had already seen.
    /// </summary>
    public static double PrefixShare(IEnumerable<RecordedRequest> requests)
    {
        var seen = new List<string>();
        long shared = 0, total = 0;
        foreach (var text in requests.OrderBy(r => r.Number).Select(PromptText))
        {
            var best = 0;
            foreach (var earlier in seen)
            {
                best = Math.Max(best, text.AsSpan().CommonPrefixLength(earlier));
            }
            (shared, total) = (shared + best, total + text.Length);
            seen.Add(text);
        }
        return total == 0 ? 0 : (double)shared / total;
    }

    private async Task HandleAsync(HttpContext context)
    {
        var body = JsonNode.Parse(await new StreamReader(context.Request.Body).ReadToEndAsync())!;
        var messages = body["messages"]!.AsArray();
        string Content(string role) => messages.FirstOrDefault(m => (string?)m!["role"] == role)?["content"] is JsonNode c
            ? c is JsonValue ? (string)c! : string.Concat(c.AsArray().Select(p => (string?)p!["text"]))
            : "";
        var request = new RecordedRequest(
            Interlocked.Increment(ref _count), context.Items[Arrived] as TimeSpan? ?? _clock.Elapsed, context.Request.Headers.Authorization.ToString(), (string)body["model"]!,
            Content("system"), Content("user"), (long?)body["seed"], (int?)(body["max_completion_tokens"] ?? body["max_tokens"]), body);
        Requests.Enqueue(request);
        if (ContextLimit > 0 && TokensOf(request.System) + TokensOf(request.User) + (request.MaxTokens ?? 0) > ContextLimit)
        {
            Interlocked.Increment(ref _overLimit);
            context.Response.StatusCode = 400;
            await context.Response.WriteAsJsonAsync(Error($"This model's maximum context length is {ContextLimit} tokens.", "context_length_exceeded"));
            return;
        }
        switch (Behavior(request))
        {
            case FakeReply.Throttle:
                context.Response.StatusCode = 429;
                if (RetryAfter is not null)
                {
                    context.Response.Headers.RetryAfter = RetryAfter;
                }
                await context.Response.WriteAsJsonAsync(Error("Rate limit reached for requests", "rate_limit_exceeded"));
                await context.Response.Body.FlushAsync();
                ThrottledAt.Enqueue(_clock.Elapsed); // the answer is on the wire: the client's pause starts about now
                return;
            case FakeReply.ServerError:
                context.Response.StatusCode = 500;
                await context.Response.WriteAsJsonAsync(Error(ServerErrorMessage, "server_error"));
                return;
            case FakeReply.Unauthorized:
                context.Response.StatusCode = 401;
                await context.Response.WriteAsJsonAsync(Error(UnauthorizedMessage, "invalid_api_key"));
                return;
            case FakeReply.UnknownModel:
                context.Response.StatusCode = 404;
                await context.Response.WriteAsJsonAsync(Error($"The model '{request.Model}' does not exist", "model_not_found"));
                return;
            case FakeReply.Slow:
                try
                {
                    await Task.Delay(SlowFor, context.RequestAborted);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
                break;
            case FakeReply.Malformed:
                context.Response.ContentType = "application/json";
                await context.Response.WriteAsync("{\"id\": \"chatcmpl-broken\", \"choices\": [ {\"message\": ");
                return;
            case FakeReply.Huge:
                context.Response.ContentType = "application/json";
                await context.Response.WriteAsync("{\"id\": \"chatcmpl-huge\", \"object\": \"chat.completion\", \"model\": \"test-model-1\", \"choices\": [ {\"index\": 0, \"message\": {\"role\": \"assistant\", \"content\": \"");
                var chunk = new string('x', 64 * 1024);
                for (var i = 0; i < 160 && !context.RequestAborted.IsCancellationRequested; i++)
                {
                    await context.Response.WriteAsync(chunk, context.RequestAborted);
                }
                await context.Response.WriteAsync("\"}, \"finish_reason\": \"stop\"} ] }");
                return;
            case FakeReply.Endless:
                context.Response.ContentType = "application/json";
                await context.Response.WriteAsync("{\"id\": \"chatcmpl-endless\", \"object\": \"chat.completion\", \"choices\": [ {\"index\": 0, \"message\": {\"role\": \"assistant\", \"content\": \"");
                try
                {
                    while (true)
                    {
                        await context.Response.WriteAsync("a", context.RequestAborted);
                        await context.Response.Body.FlushAsync(context.RequestAborted);
                        await Task.Delay(100, context.RequestAborted);
                    }
                }
                catch (Exception ex) when (ex is OperationCanceledException or IOException)
                {
                    return;
                }
            case FakeReply.NotAChatCompletion:
                context.Response.ContentType = "text/html";
                await context.Response.WriteAsync("<html><body>Welcome to nginx!</body></html>");
                return;
        }
        var text = Answer?.Invoke(request) ?? AnswerPrefix + AnswerFor(request.User, request.Seed);
        var prompt = TokensOf(request.System) + TokensOf(request.User);
        var completion = TokensOf(text);
        var cached = 0;
        if (ReportCachedTokens)
        {
            var full = PromptText(request);
            lock (_seenPrompts)
            {
                var shared = _seenPrompts.Count == 0 ? 0 : _seenPrompts.Max(p => full.AsSpan().CommonPrefixLength(p));
                cached = Math.Min(prompt, shared / 4 / CacheBlock * CacheBlock);
                _seenPrompts.Add(full);
            }
            _cached[request.Number] = cached;
        }
        await context.Response.WriteAsJsonAsync(new
        {
            id = $"chatcmpl-{request.Number}",
            @object = "chat.completion",
            created = 1_764_000_000,
            model = AnsweredModel ?? request.Model,
            choices = new[] { new { index = 0, message = new { role = "assistant", content = text }, finish_reason = "stop" } },
            usage = new { prompt_tokens = prompt, completion_tokens = completion, total_tokens = prompt + completion, prompt_tokens_details = new { cached_tokens = cached } },
        });
    }

    private static object Error(string message, string code) => new { error = new { message, type = code, code } };

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
