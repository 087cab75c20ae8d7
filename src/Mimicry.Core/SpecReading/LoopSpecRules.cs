using System.Globalization;
using Mimicry.Spec;

namespace Mimicry.SpecReading;

/// <summary>
/// The spec reader's rules, checked again on a built <see cref="LoopSpec"/>: a grain must not trust that a spec came
/// through the reader (anything inside the cluster can call it). Each problem names the field, as the reader does.
/// </summary>
public static class LoopSpecRules
{
    /// <param name="inlineBackends">Whether a spec may name a model URL and key variable itself (the embedded local user only).</param>
    public static IReadOnlyList<string> Problems(LoopSpec spec, bool inlineBackends)
    {
        var p = new List<string>();
        void Check(bool ok, string field, string problem)
        {
            if (!ok)
            {
                p.Add($"{field}: {problem}");
            }
        }
        Check(spec.Name is not null && SpecReader.IsSlug(spec.Name), "name", $"must be 1-64 lower-case letters, digits, '.', '_' or '-', starting with a letter or digit (got '{Shown(spec.Name)}')");
        Check(spec.Researcher is not null && SpecReader.IsSlug(spec.Researcher.Id), "researcher.id", "must be 1-64 lower-case letters, digits, '.', '_' or '-'");
        Check(spec.Researcher is not null && Text(spec.Researcher.Name, 200, multiline: false), "researcher.name", "must be 1-200 characters without control characters");
        Check(spec.Researcher is not null && Text(spec.Researcher.Description, 100_000, multiline: true, allowEmpty: true), "researcher.description", "must be text without control characters");
        Check(Text(spec.Question, 100_000, multiline: true), "question", "must be non-empty text without control characters");
        Check(spec.Days is >= 1 and <= SpecReader.MaxDays, "days", $"must be between 1 and {SpecReader.MaxDays} (got {spec.Days})");
        Check(spec.Branches is >= 1 and <= SpecReader.MaxBranches, "branches", $"must be between 1 and {SpecReader.MaxBranches} (got {spec.Branches})");
        Check(spec.Width is >= 1 and <= SpecReader.MaxWidth, "width", $"must be between 1 and {SpecReader.MaxWidth} (got {spec.Width})");
        Check(spec.Seed >= 0, "seed", $"must be 0 or more (got {spec.Seed})");
        if (spec.Selection is null)
        {
            p.Add("selection: required");
        }
        else if (spec.Selection.Kind == SelectionKind.BestOfN)
        {
            Check(spec.Selection.N >= 1 && spec.Selection.N <= spec.Width, "selection", $"best-of-N needs 1 <= N <= width ({spec.Width}) (got {spec.Selection.N})");
        }
        if (spec.Budgets is null)
        {
            p.Add("budgets: required");
        }
        else
        {
            Check(spec.Budgets.MaxSessions >= 0, "budgets.maxSessions", "must be 0 (unlimited) or more");
            Check(Finite(spec.Budgets.MaxBits), "budgets.maxBits", "must be a finite number, 0 (unlimited) or more");
            Check(Finite(spec.Budgets.MaxBitsPerBranch), "budgets.maxBitsPerBranch", "must be a finite number, 0 (unlimited) or more");
            Check(spec.Budgets.MaxTokens >= 0, "budgets.maxTokens", "must be 0 (unlimited) or more");
            Check(Finite(spec.Budgets.MaxCost), "budgets.maxCost", "must be a finite number, 0 (unlimited) or more");
        }
        if (spec.Anchor is null)
        {
            p.Add("anchor: required");
        }
        else
        {
            Check(spec.Anchor.Step >= TimeSpan.Zero && spec.Anchor.Lag >= TimeSpan.Zero && spec.Anchor.EveryDays >= 0, "anchor", "step, lag and everyDays must not be negative");
        }
        CheckSimulator(spec.Simulator, inlineBackends, p);
        CheckFilters(spec, inlineBackends, p);
        CheckCritic(spec, inlineBackends, p);
        CheckTripwires(spec, inlineBackends, p);
        if (spec.Review is { } review)
        {
            Check(review.EveryDays >= 0, "review.everyDays", $"must be 0 or more (got {review.EveryDays})");
            Check(review.Top == 0 || (review.Top >= 2 && spec.Selection is { Kind: SelectionKind.BestOfN } && review.Top <= spec.Selection.N),
                "review.top", $"must be 0 (off), or from 2 to N with selection best-of-N (got {review.Top})");
        }
        if (spec.Calibration is { } cal)
        {
            Check(cal.Calibrator is not null && SpecReader.IsSlug(cal.Calibrator.Id), "calibration.calibrator.id", "must be 1-64 lower-case letters, digits, '.', '_' or '-'");
            Check(cal.Rate is >= 0 and <= 1, "calibration.rate", "must be between 0 and 1");
            Check(cal.Drift is not null && cal.Drift.Baseline >= 1 && Finite(cal.Drift.Threshold) && cal.Drift.Threshold > 0, "calibration.drift", "needs a baseline of 1 or more and a positive threshold");
        }
        if (spec.Fork is { } fork)
        {
            Check(SpecReader.IsSlug(fork.Loop), "fork.loop", "must name a loop");
            Check(fork.Branch >= 0 && fork.FromDay >= 0, "fork", "branch and fromDay must not be negative");
            Check(Finite(fork.Bits), "fork.bits", $"must be a finite number, 0 or more (got {fork.Bits.ToString(CultureInfo.InvariantCulture)})");
            Check(fork.Timeline >= 1, "fork.timeline", "must be 1 or more");
            Check(fork.Changes is not null && fork.Changes.All(c => Text(c, 10_000, multiline: false)), "fork.changes", "must be text without control characters");
            Check(spec.Branches == 1, "branches", "a fork has exactly one branch");
        }
        return p;
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

    private static void CheckFilters(LoopSpec spec, bool inlineBackends, List<string> p)
    {
        if (spec.Filters is not { } f)
        {
            if (spec.Simulator?.Kind == "openai" && spec.Selection?.Kind == SelectionKind.FirstValid)
            {
                p.Add("selection: first-valid with simulator openai needs a validity test (filters)");
            }
            return;
        }
        if (spec.Selection?.Kind != SelectionKind.FirstValid)
        {
            p.Add($"filters: apply only to selection first-valid (this loop's is {spec.Selection})");
        }
        if (f.MinLength < 0 || f.MaxLength < 0 || (f.MaxLength > 0 && f.MinLength > f.MaxLength))
        {
            p.Add("filters: minLength and maxLength must be 0 or more, minLength at most maxLength");
        }
        foreach (var (list, name) in new[] { (f.Require, "require"), (f.Forbid, "forbid") })
        {
            if (list is null || list.Count > Selection.CandidateFilter.MaxPatterns)
            {
                p.Add($"filters.{name}: must be a list of at most {Selection.CandidateFilter.MaxPatterns} patterns");
                continue;
            }
            for (var i = 0; i < list.Count; i++)
            {
                var problem = list[i] is null ? "must be a pattern" : Selection.CandidateFilter.PatternProblem(list[i]);
                if (problem is not null)
                {
                    p.Add($"filters.{name}[{i}]: {problem}");
                }
            }
        }
        if (f.JsonSchema is { } schema && Selection.CandidateFilter.SchemaProblem(schema) is { } schemaProblem)
        {
            p.Add($"filters.jsonSchema: {schemaProblem}");
        }
        if (f.Judge is { } judge)
        {
            CheckJudge(spec, judge, "filters.judge", inlineBackends, p);
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

    // The tripwires section as the reader bounds it: user patterns are compiled on the silos, so their number, size
    // and syntax are checked here too, not only in the CLI.
    private static void CheckTripwires(LoopSpec spec, bool inlineBackends, List<string> p)
    {
        if (spec.Tripwires is not { } t)
        {
            return;
        }
        if (!(t.OutOfDistribution is >= 0 and <= 1))
        {
            p.Add($"tripwires.outOfDistribution: must be between 0 and 1 (got {t.OutOfDistribution.ToString(CultureInfo.InvariantCulture)})");
        }
        if (t.References is null || !t.References.All(r => Text(r, 100_000, multiline: true)))
        {
            p.Add("tripwires.references: must be non-empty texts without control characters");
        }
        if (t.Patterns is null || t.Patterns.Count > TripwireReader.MaxPatterns)
        {
            p.Add($"tripwires.patterns: at most {TripwireReader.MaxPatterns} patterns");
        }
        else
        {
            for (var i = 0; i < t.Patterns.Count; i++)
            {
                var pattern = t.Patterns[i];
                if (pattern is null || !Text(pattern.Name, 64, multiline: false) || pattern.Regex is null || pattern.Regex.Length is 0 or > TripwireReader.MaxPatternLength)
                {
                    p.Add($"tripwires.patterns[{i}]: needs a name (1-64 characters) and a regex (1-{TripwireReader.MaxPatternLength} characters)");
                    continue;
                }
                try
                {
                    _ = Tripwires.UserPatterns.Compile(pattern.Regex);
                }
                catch (ArgumentException ex)
                {
                    p.Add($"tripwires.patterns[{i}].regex: is not a valid regular expression ({ex.Message.TrimEnd('.')})");
                }
            }
        }
        if (t.ModelJudge is { } judge)
        {
            CheckJudge(spec, judge, "tripwires.modelJudge", inlineBackends, p);
        }
    }

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

    private static bool Finite(double d) => double.IsFinite(d) && d >= 0;

    private static bool Text(string? s, int max, bool multiline, bool allowEmpty = false) =>
        s is not null && (allowEmpty || s.Trim().Length > 0) && s.Length <= max
        && !s.Any(c => char.IsControl(c) && !(multiline && c is '\n' or '\t' or '\r'));

    /// <summary>A value quoted in a message: control characters dropped, so the message itself stays inert.</summary>
    private static string Shown(string? s) => s is null ? "" : new string(s.Where(c => !char.IsControl(c)).Take(80).ToArray());
}
