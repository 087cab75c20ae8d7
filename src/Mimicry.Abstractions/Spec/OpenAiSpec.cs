namespace Mimicry.Spec;

/// <summary>
/// A session served by an OpenAI-compatible chat-completions endpoint (OpenAI, Azure OpenAI's v1 endpoint, vLLM,
/// llama.cpp server, Ollama, LM Studio). The API key is never in the spec: <see cref="ApiKeyVariable"/> names the
/// environment variable that holds it on the machines that run sessions. On a server a spec names a
/// <see cref="Backend"/> the operator configured instead: <see cref="BaseUrl"/> is then empty and the URL and key
/// stay on the silos. <see cref="ContextTokens"/> is the model's context window (0: not known, no check); a prompt is never
/// sent over it (docs/models.md#notebooks-longer-than-the-context).
/// </summary>
[GenerateSerializer, Immutable, Alias("mimicry.OpenAiSpec")]
public sealed record OpenAiSpec(
    [property: Id(0)] string BaseUrl,
    [property: Id(1)] string Model,
    [property: Id(2)] string? ApiKeyVariable,
    [property: Id(3)] double? Temperature,
    [property: Id(4)] int MaxOutputTokens,
    [property: Id(5)] bool SendSeed,
    [property: Id(6)] TimeSpan RequestTimeout,
    [property: Id(7)] int Retries,
    [property: Id(8)] RateLimitSpec Limits,
    [property: Id(9)] PriceSpec Prices,
    [property: Id(10)] PromptSpec Prompt,
    [property: Id(11), System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)] string? Backend = null,
    [property: Id(12), System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingDefault)] int ContextTokens = 0,
    [property: Id(13), System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)] string? Overflow = null)
{
    /// <summary>What a session does when the fenced notebook no longer fits <see cref="ContextTokens"/>: <c>recent</c> (default) or <c>fail</c>.</summary>
    public string OverflowPolicy => Overflow ?? "recent";
}

/// <summary>
/// What a backend allows, for the whole cluster: each silo takes an equal share of the per-minute quotas. Zero means
/// no limit. <see cref="MaxConcurrency"/> is the ceiling of the adaptive concurrency limit, per silo.
/// </summary>
[GenerateSerializer, Immutable, Alias("mimicry.RateLimitSpec")]
public sealed record RateLimitSpec(
    [property: Id(0)] int MaxConcurrency,
    [property: Id(1)] int RequestsPerMinute,
    [property: Id(2)] int TokensPerMinute);

/// <summary>
/// Prices per million tokens, in <see cref="Currency"/>; zero means free (a local server). <see cref="CachedInputPerMillion"/>
/// is the price of input tokens the server reports as served from its prompt cache (null: the input price, no discount).
/// </summary>
[GenerateSerializer, Immutable, Alias("mimicry.PriceSpec")]
public sealed record PriceSpec(
    [property: Id(0)] double InputPerMillion,
    [property: Id(1)] double OutputPerMillion,
    [property: Id(2)] string Currency,
    [property: Id(3), System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)] double? CachedInputPerMillion = null)
{
    /// <param name="cachedInputTokens">How many of <paramref name="inputTokens"/> the server served from its cache.</param>
    public double Cost(long inputTokens, long outputTokens, long cachedInputTokens = 0)
    {
        var cached = Math.Clamp(cachedInputTokens, 0, Math.Max(0, inputTokens));
        return ((inputTokens - cached) * InputPerMillion + cached * (CachedInputPerMillion ?? InputPerMillion) + outputTokens * OutputPerMillion) / 1_000_000;
    }
}

/// <summary>
/// The prompt: a system message and a user message with placeholders (docs/models.md). The user message holds
/// <c>{{notebook}}</c> exactly once; Mimicry puts the fenced notebook there. <see cref="Source"/> says where the
/// template came from (<c>default</c> or the file name), for people.
/// </summary>
[GenerateSerializer, Immutable, Alias("mimicry.PromptSpec")]
public sealed record PromptSpec(
    [property: Id(0)] string System,
    [property: Id(1)] string User,
    [property: Id(2)] string Source);
