using System.ClientModel;
using System.Globalization;
using System.Net.Sockets;
using System.Text.Json;
using Microsoft.Extensions.AI;
using Mimicry.Prompts;
using Mimicry.Spec;

namespace Mimicry.Models.OpenAi;

/// <summary>One answer from a backend: its text, what it billed, and which model the server says answered.</summary>
/// <remarks><see cref="CachedInputTokens"/>: of the input tokens, those the server reports as served from its prompt cache (<c>prompt_tokens_details.cached_tokens</c>).</remarks>
public sealed record ModelAnswer(string Text, int InputTokens, int OutputTokens, string? Model, TimeSpan Latency, int CachedInputTokens = 0);

/// <summary>
/// Sends one chat completion and turns whatever comes back into an answer or a <see cref="ModelCallException"/>
/// that says, in one sentence, what happened and whether to retry.
/// </summary>
public static class OpenAiCaller
{
    public static async Task<ModelAnswer> CallAsync(IChatClient client, OpenAiSpec spec, PromptMessages prompt, long? seed, TimeProvider time, CancellationToken cancellationToken)
    {
        var options = new ChatOptions
        {
            ModelId = spec.Model,
            MaxOutputTokens = spec.MaxOutputTokens,
            Temperature = spec.Temperature is { } t ? (float)t : null,
            Seed = spec.SendSeed ? seed : null,
        };
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(spec.RequestTimeout);
        var started = time.GetTimestamp();
        ChatResponse response;
        try
        {
            response = await client.GetResponseAsync([new ChatMessage(ChatRole.System, prompt.System), new ChatMessage(ChatRole.User, prompt.User)], options, deadline.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new ModelCallException($"no answer within the request timeout ({spec.RequestTimeout.TotalSeconds:0.#} s)", retry: true, reason: "timeout");
        }
        catch (Exception ex) when (Find<ResponseTooLargeException>(ex) is { } tooLarge)
        {
            // Not retried: a server that sends this once will most likely send it again, and each costs the bytes.
            throw new ModelCallException(tooLarge.Message, retry: false, inner: ex, reason: "too_large");
        }
        catch (ClientResultException ex)
        {
            throw FromStatus(ex, spec);
        }
        catch (HttpRequestException ex)
        {
            throw new ModelCallException($"cannot reach {spec.BaseUrl}: {Network(ex)}", retry: true, inner: ex, reason: "network");
        }
        catch (ObjectDisposedException ex)
        {
            // The silo is shutting down under the session (an InvalidOperationException, but not the server's fault).
            throw new ModelCallException("the model client was closed: the host is stopping", retry: false, inner: ex);
        }
        catch (Exception ex) when (ex is JsonException or FormatException or InvalidOperationException or ArgumentException or KeyNotFoundException)
        {
            throw new ModelCallException($"the server's answer is not a chat completion ({ex.GetType().Name}: {ex.Message.TrimEnd('.')})", retry: true, inner: ex, reason: "malformed");
        }
        var text = response.Text;
        var input = (int)(response.Usage?.InputTokenCount ?? 0);
        var output = (int)(response.Usage?.OutputTokenCount ?? 0);
        if (string.IsNullOrWhiteSpace(text))
        {
            // Billed all the same when the server says so: the session pays for it even though it tries again.
            throw new ModelCallException("the server's answer holds no message text", retry: true, reason: "malformed") { InputTokens = input, OutputTokens = output };
        }
        var cached = (int)Math.Clamp(response.Usage?.CachedInputTokenCount ?? 0, 0, input);
        return new ModelAnswer(text, input, output, response.ModelId, time.GetElapsedTime(started), cached);
    }

    /// <summary>A rough token count for admission before the server says: about four characters a token.</summary>
    public static int Estimate(PromptMessages prompt, OpenAiSpec spec) => (prompt.System.Length + prompt.User.Length) / 4 + spec.MaxOutputTokens;

    private static ModelCallException FromStatus(ClientResultException ex, OpenAiSpec spec)
    {
        var detail = ServerMessage(ex);
        var retryAfter = RetryAfter(ex);
        return ex.Status switch
        {
            429 => new ModelCallException($"the server is throttling requests (429){detail}", retry: true, retryAfter, throttled: true, ex),
            401 => new ModelCallException($"the server refused the API key{(spec.ApiKeyVariable is null ? " (no apiKeyVariable is set)" : $" from ${spec.ApiKeyVariable}")} (401){detail}", retry: false, inner: ex, reason: "refused"),
            403 => new ModelCallException($"the server forbids this request (403){detail}", retry: false, inner: ex, reason: "refused"),
            404 => new ModelCallException($"the server has no model '{spec.Model}' or no chat-completions endpoint at {spec.BaseUrl} (404){detail}", retry: false, inner: ex, reason: "refused"),
            408 or 409 or >= 500 => new ModelCallException($"the server failed ({ex.Status}){detail}", retry: true, retryAfter, inner: ex, reason: "server_error"),
            0 => new ModelCallException($"cannot reach {spec.BaseUrl}: {(Find<HttpRequestException>(ex) is { } http ? Network(http) : ex.Message.TrimEnd('.'))}", retry: true, inner: ex, reason: "network"),
            _ => new ModelCallException($"the server refused the request ({ex.Status}){detail}", retry: false, inner: ex, reason: "refused"),
        };
    }

    private static string ServerMessage(ClientResultException ex)
    {
        try
        {
            var body = ex.GetRawResponse()?.Content?.ToString();
            if (string.IsNullOrWhiteSpace(body))
            {
                return "";
            }
            using var doc = JsonDocument.Parse(body);
            if (doc.RootElement.TryGetProperty("error", out var e) && e.ValueKind == JsonValueKind.Object && e.TryGetProperty("message", out var m))
            {
                return $": {m.GetString()}";
            }
            return "";
        }
        catch (JsonException)
        {
            return "";
        }
    }

    /// <summary>Retry-After as seconds or as an HTTP date; null when absent or unreadable.</summary>
    public static TimeSpan? RetryAfter(ClientResultException ex)
    {
        var response = ex.GetRawResponse();
        if (response is null || !response.Headers.TryGetValue("Retry-After", out var value) || value is null)
        {
            return null;
        }
        if (double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) && seconds >= 0)
        {
            return TimeSpan.FromSeconds(Math.Min(seconds, 600));
        }
        if (DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at))
        {
            var wait = at - DateTimeOffset.UtcNow;
            return wait > TimeSpan.Zero ? TimeSpan.FromSeconds(Math.Min(wait.TotalSeconds, 600)) : TimeSpan.Zero;
        }
        return null;
    }

    private static T? Find<T>(Exception ex) where T : Exception
    {
        for (Exception? e = ex; e is not null; e = e.InnerException)
        {
            if (e is T found)
            {
                return found;
            }
        }
        return null;
    }

    private static string Network(HttpRequestException ex) => ex.InnerException switch
    {
        SocketException { SocketErrorCode: SocketError.ConnectionRefused } => "connection refused",
        SocketException { SocketErrorCode: SocketError.HostNotFound or SocketError.NoData } => "no such host",
        SocketException s => s.Message.TrimEnd('.'),
        _ => ex.Message.TrimEnd('.'),
    };
}
