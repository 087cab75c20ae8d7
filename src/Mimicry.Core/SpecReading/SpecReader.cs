using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Mimicry.Anchors;
using Mimicry.Spec;

namespace Mimicry.SpecReading;

/// <summary>
/// Turns a spec file into a <see cref="LoopSpec"/>, or a <see cref="SpecException"/> listing every problem as
/// "file: field.path: problem". Reads nothing but the file and writes nothing.
/// </summary>
public static partial class SpecReader
{
    public const int MaxBranches = 1_000_000;
    public const int MaxDays = 100_000;
    public const int MaxWidth = 256;

    [GeneratedRegex("^[a-z0-9][a-z0-9._-]{0,63}$", RegexOptions.CultureInvariant)]
    private static partial Regex Slug();

    public static bool IsSlug(string text) => Slug().IsMatch(text);

    public static LoopSpec Load(string path, DateTimeOffset now) =>
        Load(path, now, SpecContext.Current with { BaseDirectory = Path.GetDirectoryName(Path.GetFullPath(path))! });

    public static LoopSpec Load(string path, DateTimeOffset now, SpecContext context)
    {
        var fileName = Path.GetFileName(path);
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new SpecException([$"{path}: cannot read the spec file ({ex.Message.TrimEnd('.')})"]);
        }
        return Parse(fileName, text, now, context);
    }

    public static LoopSpec Parse(string fileName, string text, DateTimeOffset now) => Parse(fileName, text, now, SpecContext.Current);

    public static LoopSpec Parse(string fileName, string text, DateTimeOffset now, SpecContext context)
    {
        var root = SpecDocument.Parse(fileName, text);
        if (root is not JsonObject obj)
        {
            throw new SpecException([$"{fileName}: the spec must be a mapping of fields (name, researcher, question, anchor, days, …)"]);
        }
        var errors = new List<string>();
        var spec = Read(new SpecFields(obj, "", errors), now, context);
        if (errors.Count > 0 || spec is null)
        {
            throw new SpecException(errors.Select(e => $"{fileName}: {e}").ToArray());
        }
        return spec;
    }

    private static LoopSpec? Read(SpecFields f, DateTimeOffset now, SpecContext context)
    {
        var name = f.String("name", required: true, maxLength: 64);
        if (name is not null && !Slug().IsMatch(name))
        {
            f.Error("name", $"must be 1-64 lower-case letters, digits, '.', '_' or '-', starting with a letter or digit (got '{name}')");
            name = null;
        }
        var researcher = ReadResearcher(f.Object("researcher", required: true));
        var question = f.String("question", required: true);
        var days = f.Int("days", required: true, 1, MaxDays);
        var branches = f.Int("branches", required: false, 1, MaxBranches) ?? (f.Has("branches") ? null : 1);
        var width = f.Int("width", required: false, 1, MaxWidth) ?? (f.Has("width") ? null : 1);
        var selection = ReadSelection(f, width);
        var simulator = SimulatorReader.Read(f, context);
        var seed = f.Long("seed", required: false, 0, long.MaxValue) ?? 0;
        var budgets = ReadBudgets(f.Object("budgets", required: false));
        var anchor = ReadAnchor(f.Object("anchor", required: true), days, now);
        var calibration = CalibrationReader.Read(f.Object("calibration", required: false), f.Has("calibration"));
        var tripwires = TripwireReader.Read(f.Object("tripwires", required: false), f.Has("tripwires"), simulator, context);
        var review = ReviewReader.Read(f.Object("review", required: false), f.Has("review"));
        var filters = FilterReader.Read(f.Object("filters", required: false), f.Has("filters"), simulator, context);
        var critic = CriticReader.Read(f.Object("critic", required: false), f.Has("critic"), simulator, context);
        f.RejectUnknown();
        if (simulator is { Kind: "openai" } && selection is { Kind: SelectionKind.BestOfN } && critic is { Spec: null })
        {
            f.Error("selection", $"best-of-{selection.N} with simulator openai needs a critic: add a critic section ('critic: {{}}' asks the simulator's own model; docs/models.md#the-critic)");
        }
        if (review is { Spec.Top: > 0 } && selection is not null && (selection.Kind != SelectionKind.BestOfN || review.Value.Spec.Top > selection.N))
        {
            f.Error("review.top", selection.Kind != SelectionKind.BestOfN
                ? $"offers the critic's top k to a person, so it needs selection best-of-N (this loop's is {selection})"
                : $"must be at most N = {selection.N}, the candidates the critic ranks (got {review.Value.Spec.Top})");
        }
        if (critic is { Spec: not null } && selection is not null && selection.Kind != SelectionKind.BestOfN)
        {
            f.Error("critic", $"applies only to selection best-of-N (this loop's is {selection})");
        }
        if (simulator is { Kind: "openai" } && selection is { Kind: SelectionKind.FirstValid } && filters is { Spec: null })
        {
            f.Error("selection", "first-valid with simulator openai needs a validity test: add a filters section (minLength, maxLength, require, forbid, jsonSchema or a model judge)");
        }
        if (filters is { Spec: not null } && selection is not null && selection.Kind != SelectionKind.FirstValid)
        {
            f.Error("filters", $"apply only to selection first-valid (this loop's is {selection})");
        }
        if (calibration?.Spec is { Calibrator.Kind: "synthetic" } && simulator is { Kind: not "synthetic" })
        {
            f.Error("calibration.calibrator.kind", $"synthetic answers as the synthetic problem's researcher, so it only fits simulator kind synthetic (this loop's is {simulator.Kind}); use kind human");
        }
        if (budgets is { MaxTokens: > 0 } && branches is not null && budgets.MaxTokens < branches.Value)
        {
            f.Error("budgets.maxTokens", $"{budgets.MaxTokens} is less than one token for every branch ({branches.Value}); each branch gets an equal share of the budget");
        }
        if (budgets is { MaxSessions: > 0 } && branches is not null && width is not null && budgets.MaxSessions / branches.Value < width.Value)
        {
            f.Error("budgets.maxSessions", $"{budgets.MaxSessions} is less than one day for every branch (branches × width = {(long)branches.Value * width.Value}); each branch gets an equal share of the budget");
        }

        if (name is null || researcher is null || question is null || days is null || branches is null || width is null
            || selection is null || simulator is null || budgets is null || anchor is null || calibration is null || tripwires is null || review is null || filters is null || critic is null || f.Errors.Count > 0)
        {
            return null;
        }
        return new LoopSpec(name, researcher, question, anchor, days.Value, branches.Value, width.Value, selection, simulator, seed, budgets,
            calibration.Value.Spec, tripwires.Value.Spec, review.Value.Spec, Filters: filters.Value.Spec, Critic: critic.Value.Spec);
    }

    private static ResearcherSpec? ReadResearcher(SpecFields? f)
    {
        if (f is null)
        {
            return null;
        }
        var id = f.String("id", required: true, maxLength: 64);
        if (id is not null && !Slug().IsMatch(id))
        {
            f.Error("id", $"must be 1-64 lower-case letters, digits, '.', '_' or '-' (got '{id}')");
            id = null;
        }
        var name = f.String("name", required: true, maxLength: 200);
        var description = f.String("description", required: false) ?? "";
        f.RejectUnknown();
        return id is null || name is null ? null : new ResearcherSpec(id, name, description);
    }

    private static SelectionSpec? ReadSelection(SpecFields f, int? width)
    {
        var text = f.String("selection", required: false) ?? (f.Has("selection") ? null : "all");
        if (text is null)
        {
            return null;
        }
        var selection = ParseSelection(text, width, out var error);
        if (error is not null)
        {
            f.Error("selection", error);
        }
        return selection;
    }

    /// <summary>A selection from its text (all, first-valid, best-of-N with N = width), or null with the problem.</summary>
    public static SelectionSpec? ParseSelection(string text, int? width, out string? error)
    {
        error = null;
        if (text == "all")
        {
            return new SelectionSpec(SelectionKind.All, 0);
        }
        if (text == "first-valid")
        {
            return new SelectionSpec(SelectionKind.FirstValid, 0);
        }
        var m = BestOf().Match(text);
        if (!m.Success)
        {
            error = $"must be one of: all, best-of-N (N = width), first-valid (got '{text}')";
            return null;
        }
        var n = int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
        if (width is not null && n != width)
        {
            error = $"best-of-{n} picks among the day's {width} candidates: N must equal width (got N = {n}, width = {width})";
            return null;
        }
        if (n < 2)
        {
            error = $"best-of-N needs at least 2 candidates (got best-of-{n}); use 'all' for width 1";
            return null;
        }
        return new SelectionSpec(SelectionKind.BestOfN, n);
    }

    [GeneratedRegex("^best-of-([0-9]{1,4})$", RegexOptions.CultureInvariant)]
    private static partial Regex BestOf();

    private static BudgetSpec? ReadBudgets(SpecFields? f)
    {
        if (f is null)
        {
            return new BudgetSpec(0, 0);
        }
        var sessions = f.Long("maxSessions", required: false, 0, long.MaxValue) ?? (f.Has("maxSessions") ? null : 0);
        var bits = f.Double("maxBits", required: false, 0, 1e12) ?? (f.Has("maxBits") ? null : 0);
        var tokens = f.Long("maxTokens", required: false, 0, long.MaxValue) ?? (f.Has("maxTokens") ? null : 0);
        var cost = f.Double("maxCost", required: false, 0, 1e12) ?? (f.Has("maxCost") ? null : 0);
        var perBranch = f.Double("maxBitsPerBranch", required: false, 0, 1e12) ?? (f.Has("maxBitsPerBranch") ? null : 0);
        f.RejectUnknown();
        return sessions is null || bits is null || tokens is null || cost is null || perBranch is null
            ? null
            : new BudgetSpec(sessions.Value, bits.Value, tokens.Value, cost.Value, perBranch.Value);
    }

    private static AnchorSpec? ReadAnchor(SpecFields? f, int? days, DateTimeOffset now)
    {
        if (f is null)
        {
            return null;
        }
        var policyText = f.Choice("policy", required: true, "fixed", "stepped", "follow");
        var allowFuture = f.Bool("allowFutureAnchor") ?? false;
        AnchorSpec? anchor = null;
        switch (policyText)
        {
            case "fixed":
                var t = f.Time("time", required: true);
                if (t is not null)
                {
                    anchor = new AnchorSpec(AnchorPolicy.Fixed, t.Value, TimeSpan.Zero, 0, TimeSpan.Zero, allowFuture);
                }
                break;
            case "stepped":
                var start = f.Time("time", required: true);
                var step = f.Duration("step", required: true, TimeSpan.FromSeconds(1), TimeSpan.FromDays(3660));
                var every = f.Int("everyDays", required: false, 1, MaxDays) ?? (f.Has("everyDays") ? null : 1);
                if (start is not null && step is not null && every is not null)
                {
                    anchor = new AnchorSpec(AnchorPolicy.Stepped, start.Value, step.Value, every.Value, TimeSpan.Zero, allowFuture);
                }
                break;
            case "follow":
                var lag = f.Duration("lag", required: false, TimeSpan.Zero, TimeSpan.FromDays(36600)) ?? (f.Has("lag") ? null : TimeSpan.Zero);
                if (lag is not null)
                {
                    anchor = new AnchorSpec(AnchorPolicy.Follow, default, TimeSpan.Zero, 0, lag.Value, allowFuture);
                }
                break;
            default:
                // Unknown policy: its error is enough; don't also call the other fields unknown.
                _ = f.Has("time") | f.Has("step") | f.Has("everyDays") | f.Has("lag");
                break;
        }
        f.RejectUnknown();
        if (anchor is null || days is null || anchor.AllowFutureAnchor)
        {
            return anchor;
        }
        if (FutureAnchorProblem(anchor, days.Value, now) is { } problem)
        {
            f.Error(anchor.Policy == AnchorPolicy.Fixed ? "time" : "step", problem);
            return null;
        }
        return anchor;
    }

    /// <summary>Why <paramref name="anchor"/> would wake a researcher after <paramref name="now"/> within <paramref name="days"/> days, or null.</summary>
    public static string? FutureAnchorProblem(AnchorSpec anchor, int days, DateTimeOffset now)
    {
        if (anchor.AllowFutureAnchor || AnchorClock.Latest(anchor, days, now) <= now)
        {
            return null;
        }
        var firstDay = AnchorClock.FirstFutureDay(anchor, days, now);
        var firstAnchor = AnchorClock.For(anchor, firstDay, now);
        return $"the anchor of day {firstDay} ({firstAnchor:yyyy-MM-ddTHH:mm:ssZ}) would be later than now ({now:yyyy-MM-ddTHH:mm:ssZ}); a simulated researcher must not wake up in the future (set anchor.allowFutureAnchor: true to allow it)";
    }
}
