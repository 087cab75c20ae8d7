using Mimicry.Prompts;
using Mimicry.Spec;

namespace Mimicry.SpecReading;

/// <summary>
/// Reads <c>simulator</c> with <c>kind: openai</c>. Everything a session needs is checked here, before any session
/// starts: the URL, the model, that the API-key variable is set (its value stays in the environment), the limits,
/// the prices and the prompt template (read from its file into the spec, so silos need no copy of the file).
/// </summary>
internal static class OpenAiReader
{
    /// <summary>With <c>overflow: digest</c>, how many times maxOutputTokens (a digest's longest) the window must hold.</summary>
    public const int DigestWindowFactor = 4;

    public static SimulatorSpec? Read(SpecFields f, SpecContext context)
    {
        var notebook = f.Choice("notebook", false, "full", "withheld") ?? (f.Has("notebook") ? null : "full");
        var openAi = ReadModel(f, context, inherit: null, ReadPrompt);
        if (openAi is null || notebook is null)
        {
            return null;
        }
        return new SimulatorSpec("openai", SimulatorReader.Default.Synthetic, TimeSpan.Zero, openAi.Limits.MaxConcurrency,
            notebook == "full" ? NotebookAccess.Full : NotebookAccess.Withheld, openAi);
    }

    /// <summary>
    /// A model's settings. With <paramref name="inherit"/> (the critic's section), every field left out is the simulator's,
    /// and so is the connection unless the section names a backend or a URL of its own.
    /// </summary>
    public static OpenAiSpec? ReadModel(SpecFields f, SpecContext context, OpenAiSpec? inherit, Func<SpecFields, SpecContext, PromptSpec?> readPrompt)
    {
        var ownConnection = inherit is null || f.Has("backend") || f.Has("baseUrl") || f.Has("apiKeyVariable");
        var backendName = ownConnection ? f.String("backend", required: false, maxLength: 64) : inherit!.Backend;
        ModelBackend? backend = null;
        if (backendName is not null)
        {
            if (!context.Backends.TryGetValue(backendName, out backend))
            {
                f.Error("backend", context.Backends.Count == 0
                    ? $"'{backendName}' is not a backend here: none are configured (an operator sets them under Mimicry:Backends on the silos)"
                    : $"'{backendName}' is not a backend here (configured: {string.Join(", ", context.Backends.Keys.Order(StringComparer.Ordinal))})");
            }
            foreach (var set in new[] { "baseUrl", "apiKeyVariable", "requestsPerMinute", "tokensPerMinute", "prices" }.Where(f.Has))
            {
                f.Error(set, $"is set by the backend's operator; a spec that names a backend leaves it out");
            }
        }
        else if (!context.Inline)
        {
            f.Error(f.Has("baseUrl") ? "baseUrl" : "backend", context.Backends.Count == 0
                ? "this server takes no model URLs or key variables in specs, and no backends are configured on it (an operator sets them under Mimicry:Backends)"
                : $"this server takes no model URLs or key variables in specs; name one of its backends with simulator.backend ({string.Join(", ", context.Backends.Keys.Order(StringComparer.Ordinal))})");
            if (f.Has("apiKeyVariable"))
            {
                f.Error("apiKeyVariable", "this server reads no environment variables named by specs; its backends hold their own keys");
            }
        }
        var inline = backendName is null && context.Inline;
        var baseUrl = !ownConnection ? (inherit!.Backend is null ? inherit.BaseUrl : null) : inline ? f.String("baseUrl", required: true, maxLength: 2000) : null;
        if (baseUrl is not null && LoopSpecRules.BaseUrlProblem(baseUrl) is { } urlProblem)
        {
            f.Error("baseUrl", urlProblem);
            baseUrl = null;
        }
        var model = f.String("model", required: inherit is null, maxLength: 200) ?? (f.Has("model") ? null : inherit?.Model);
        if (model is { Length: 0 })
        {
            f.Error("model", "must not be empty");
            model = null;
        }
        if (model is not null && backend is { Models.Count: > 0 } && !backend.Models.Contains(model, StringComparer.Ordinal))
        {
            f.Error("model", $"backend '{backend.Name}' allows {string.Join(", ", backend.Models)} (got '{model}')");
            model = null;
        }
        var keyVariable = !ownConnection ? inherit!.ApiKeyVariable : inline ? f.String("apiKeyVariable", required: false, maxLength: 200) : null;
        if (keyVariable is not null && string.IsNullOrEmpty(context.Environment(keyVariable)))
        {
            f.Error("apiKeyVariable", $"the environment variable {keyVariable} is not set (it must hold the API key; the key itself never goes in the spec)");
            keyVariable = null;
        }
        var ok = !inline || !f.Has("apiKeyVariable") || keyVariable is not null;
        var temperature = f.Double("temperature", false, 0, 2) ?? (f.Has("temperature") ? null : inherit?.Temperature);
        ok &= !f.Has("temperature") || temperature is not null;
        var maxOutput = f.Int("maxOutputTokens", false, 1, 1_000_000) ?? (f.Has("maxOutputTokens") ? null : inherit?.MaxOutputTokens ?? 1024);
        var sendSeed = f.Bool("sendSeed") ?? inherit?.SendSeed ?? true;
        var timeout = f.Duration("requestTimeout", false, TimeSpan.FromSeconds(1), TimeSpan.FromHours(1)) ?? (f.Has("requestTimeout") ? null : inherit?.RequestTimeout ?? TimeSpan.FromSeconds(120));
        var retries = f.Int("retries", false, 0, 20) ?? (f.Has("retries") ? null : inherit?.Retries ?? 6);
        var concurrency = f.Int("maxConcurrency", false, 1, 10_000) ?? (f.Has("maxConcurrency") ? null : inherit?.Limits.MaxConcurrency ?? 16);
        var rpm = f.Int("requestsPerMinute", false, 0, 10_000_000) ?? (f.Has("requestsPerMinute") ? null : inherit?.Limits.RequestsPerMinute ?? 0);
        var tpm = f.Int("tokensPerMinute", false, 0, 1_000_000_000) ?? (f.Has("tokensPerMinute") ? null : inherit?.Limits.TokensPerMinute ?? 0);
        var window = f.Int("contextTokens", false, 0, 100_000_000) ?? (f.Has("contextTokens") ? null : inherit?.ContextTokens ?? 0);
        // digest is the simulator's alone: the critic and the judge read the notebook as the day's sessions did.
        var overflow = (inherit is null ? f.Choice("overflow", false, "recent", "fail", "digest") : f.Choice("overflow", false, "recent", "fail"))
            ?? (f.Has("overflow") ? null : inherit?.Overflow is "digest" ? null : inherit?.Overflow);
        ok &= window is not null && (!f.Has("overflow") || overflow is not null);
        if (window is > 0 && maxOutput is not null && maxOutput >= window)
        {
            f.Error("contextTokens", $"must be more than maxOutputTokens ({maxOutput}): the prompt needs room too");
            ok = false;
        }
        if (overflow == "digest" && window is > 0 && maxOutput is not null && window < DigestWindowFactor * maxOutput)
        {
            f.Error("contextTokens", $"must be at least {DigestWindowFactor} times maxOutputTokens ({maxOutput}) with overflow: digest: a digest is up to maxOutputTokens long and must leave room for the days after it");
            ok = false;
        }
        if (overflow is not null && window is 0 && f.Has("overflow"))
        {
            f.Error("overflow", "applies only with contextTokens (the model's context window)");
            ok = false;
        }
        var prices = f.Has("prices") || inherit is null ? ReadPrices(f.Object("prices", required: false), f.Has("prices")) : inherit.Prices;
        var prompt = readPrompt(f, context);
        if (backend is not null)
        {
            // The operator's quotas and prices; a spec may only ask for less concurrency.
            rpm = backend.Limits.RequestsPerMinute;
            tpm = backend.Limits.TokensPerMinute;
            prices = backend.Prices;
            if (concurrency is not null && f.Has("maxConcurrency") && concurrency > backend.Limits.MaxConcurrency)
            {
                f.Error("maxConcurrency", $"backend '{backend.Name}' allows at most {backend.Limits.MaxConcurrency} (got {concurrency})");
            }
            concurrency = f.Has("maxConcurrency") ? Math.Min(concurrency ?? 1, backend.Limits.MaxConcurrency) : backend.Limits.MaxConcurrency;
        }
        if (maxOutput is not null && tpm is > 0 && maxOutput > tpm)
        {
            f.Error("maxOutputTokens", $"is more than tokensPerMinute ({tpm}): no request could ever be admitted");
            maxOutput = null;
        }
        f.RejectUnknown();
        if ((baseUrl is null && backend is null) || model is null || !ok || maxOutput is null || timeout is null || retries is null || concurrency is null
            || rpm is null || tpm is null || prices is null || prompt is null)
        {
            return null;
        }
        return new OpenAiSpec(baseUrl ?? "", model, keyVariable, temperature, maxOutput.Value, sendSeed, timeout.Value, retries.Value,
            new RateLimitSpec(concurrency.Value, rpm.Value, tpm.Value), prices, prompt, backend?.Name, window ?? 0, overflow);
    }

    private static PriceSpec? ReadPrices(SpecFields? f, bool present)
    {
        if (f is null)
        {
            return present ? null : new PriceSpec(0, 0, "USD");
        }
        var input = f.Double("input", required: true, 0, 1e6);
        var output = f.Double("output", required: true, 0, 1e6);
        var cached = f.Double("cachedInput", required: false, 0, 1e6);
        var currency = f.String("currency", required: false, maxLength: 10) ?? "USD";
        f.RejectUnknown();
        if (f.Has("cachedInput") && cached is null)
        {
            return null;
        }
        return input is null || output is null ? null : new PriceSpec(input.Value, output.Value, currency, cached);
    }

    private static PromptSpec? ReadPrompt(SpecFields f, SpecContext context) =>
        ReadTemplate(f, context, DefaultPrompt.Spec, PromptTemplate.Parse);

    /// <summary>A template file named by <c>prompt</c> (read into the spec), or <paramref name="fallback"/> when none is named.</summary>
    public static PromptSpec? ReadTemplate(SpecFields f, SpecContext context, PromptSpec fallback, Func<string, string, (PromptSpec?, IReadOnlyList<string>)> parse)
    {
        var file = f.String("prompt", required: false, maxLength: 1000);
        if (file is null)
        {
            return f.Has("prompt") ? null : fallback;
        }
        if (!context.Inline)
        {
            f.Error("prompt", "a server reads no files named by specs; leave prompt out for the default template (docs/models.md)");
            return null;
        }
        var path = Path.IsPathRooted(file) ? file : Path.Combine(context.BaseDirectory, file);
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            f.Error("prompt", $"cannot read the template {path} ({ex.Message.TrimEnd('.')})");
            return null;
        }
        var (prompt, problems) = parse(text, Path.GetFileName(path));
        foreach (var p in problems)
        {
            f.Error("prompt", $"{Path.GetFileName(path)} {p}");
        }
        return prompt;
    }
}
