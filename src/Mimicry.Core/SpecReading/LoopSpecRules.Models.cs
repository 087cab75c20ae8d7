using Mimicry.Spec;

namespace Mimicry.SpecReading;

/// <summary>The rules for what talks to a model: the simulator, its connection and settings, the critic, the judges.</summary>
public static partial class LoopSpecRules
{
    private static void CheckSimulator(SimulatorSpec? sim, bool inlineBackends, List<string> p)
    {
        if (sim is null)
        {
            p.Add("simulator: required");
            return;
        }
        if (sim.MaxConcurrency < 1)
        {
            p.Add($"simulator.maxConcurrency: must be 1 or more (got {sim.MaxConcurrency})");
        }
        if (sim.Latency < TimeSpan.Zero || sim.Latency > TimeSpan.FromMinutes(10))
        {
            p.Add("simulator.latency: must be between 0 and 10 minutes");
        }
        switch (sim.Kind)
        {
            case "synthetic":
                var s = sim.Synthetic;
                if (s is null || s.Lemmas < 1 || s.Alphabet < 2 || s.Attempts < 1 || s.Attempts > s.Alphabet || !(s.InvalidRate is >= 0 and < 1) || !(s.DriftAmount is >= 0 and <= 1))
                {
                    p.Add("simulator: the synthetic problem needs lemmas >= 1, alphabet >= 2, 1 <= attempts <= alphabet, 0 <= invalidRate < 1, 0 <= driftAmount <= 1");
                }
                if (sim.OpenAi is not null)
                {
                    p.Add("simulator: kind synthetic takes no model backend");
                }
                break;
            case "openai":
                if (sim.OpenAi is not { } o)
                {
                    p.Add("simulator: kind openai needs its model settings");
                    break;
                }
                CheckModel(o, "simulator", inlineBackends, p);
                if (o.Prompt is null || o.Prompt.User is null || !o.Prompt.User.Contains("{{notebook}}", StringComparison.Ordinal))
                {
                    p.Add("simulator.prompt: the user template must hold {{notebook}}");
                }
                break;
            default:
                p.Add($"simulator.kind: must be synthetic or openai (got '{Shown(sim.Kind)}')");
                break;
        }
    }

    /// <summary>A model's settings (the simulator's or the critic's), each problem under <paramref name="field"/>.</summary>
    private static void CheckModel(OpenAiSpec o, string field, bool inlineBackends, List<string> p)
    {
        if (o.Backend is { } backend)
        {
            if (!SpecReader.IsSlug(backend))
            {
                p.Add($"{field}.backend: must name one of the server's backends");
            }
            if (o.BaseUrl.Length > 0 || o.ApiKeyVariable is not null)
            {
                p.Add($"{field}.backend: a spec that names a backend takes no baseUrl or apiKeyVariable (the backend's operator sets them)");
            }
        }
        else if (!inlineBackends)
        {
            p.Add($"{field}.baseUrl: this server takes no model URLs or key variables in specs; name one of its backends with simulator.backend");
        }
        else if (BaseUrlProblem(o.BaseUrl) is { } problem)
        {
            p.Add($"{field}.baseUrl: {problem}");
        }
        if (string.IsNullOrWhiteSpace(o.Model) || !Text(o.Model, 200, multiline: false))
        {
            p.Add($"{field}.model: must be 1-200 characters without control characters");
        }
        if (o.MaxOutputTokens < 1 || o.Retries < 0 || o.RequestTimeout <= TimeSpan.Zero || o.Limits is null || o.Limits.MaxConcurrency < 1
            || o.Limits.RequestsPerMinute < 0 || o.Limits.TokensPerMinute < 0 || o.Prices is null || !Finite(o.Prices.InputPerMillion) || !Finite(o.Prices.OutputPerMillion) || (o.Prices.CachedInputPerMillion is { } cachedPrice && !Finite(cachedPrice)))
        {
            p.Add($"{field}: maxOutputTokens, retries, requestTimeout, limits and prices must be in range");
        }
        if (o.ContextTokens < 0 || (o.ContextTokens > 0 && o.ContextTokens <= o.MaxOutputTokens) || o.Overflow is not (null or "recent" or "fail" or "digest"))
        {
            p.Add($"{field}.contextTokens: must be 0 (no limit known) or more than maxOutputTokens, with overflow recent, fail or digest");
        }
        else if (o.Overflow == "digest" && (field != "simulator" || o.ContextTokens < OpenAiReader.DigestWindowFactor * (long)o.MaxOutputTokens))
        {
            p.Add($"{field}.overflow: digest applies only to the simulator, with contextTokens at least {OpenAiReader.DigestWindowFactor} times maxOutputTokens");
        }
    }

    private static void CheckCritic(LoopSpec spec, bool inlineBackends, List<string> p)
    {
        if (spec.Critic is not { } critic)
        {
            if (spec.Simulator?.Kind == "openai" && spec.Selection?.Kind == SelectionKind.BestOfN)
            {
                p.Add("selection: best-of-N with simulator openai needs a critic");
            }
            return;
        }
        if (spec.Selection?.Kind != SelectionKind.BestOfN)
        {
            p.Add($"critic: applies only to selection best-of-N (this loop's is {spec.Selection})");
        }
        if (spec.Simulator?.Kind != "openai")
        {
            p.Add("critic: a model critic goes with simulator kind openai");
        }
        if (critic.Model is null)
        {
            p.Add("critic: needs its model settings");
            return;
        }
        CheckModel(critic.Model, "critic", inlineBackends, p);
        if (critic.Model.Prompt is null || critic.Model.Prompt.User is null || !critic.Model.Prompt.User.Contains("{{candidates}}", StringComparison.Ordinal))
        {
            p.Add("critic.prompt: the user template must hold {{candidates}}");
        }
    }

    private static void CheckJudge(LoopSpec spec, JudgeSpec judge, string field, bool inlineBackends, List<string> p)
    {
        if (spec.Simulator?.Kind != "openai")
        {
            p.Add($"{field}: a model judge goes with simulator kind openai");
        }
        if (judge.Model is null || !Text(judge.Criteria, 10_000, multiline: true))
        {
            p.Add($"{field}: needs its model settings and criteria (text without control characters)");
            return;
        }
        CheckModel(judge.Model, field, inlineBackends, p);
        if (judge.Model.Prompt?.User is not { } user || !user.Contains("{{candidate}}", StringComparison.Ordinal))
        {
            p.Add($"{field}.prompt: the user template must hold {{{{candidate}}}}");
        }
    }

    /// <summary>Why a model URL cannot be used, or null. A URL with user-info would send credentials to wherever it points.</summary>
    public static string? BaseUrlProblem(string? url)
    {
        if (url is null || !Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https") || string.IsNullOrEmpty(uri.Host))
        {
            return $"must be an absolute http:// or https:// URL, such as https://api.openai.com/v1 (got '{Shown(url)}')";
        }
        if (uri.UserInfo.Length > 0)
        {
            return "must not carry a user name or password (user-info before '@'); the key goes in apiKeyVariable or in a server's backend";
        }
        return null;
    }
}
