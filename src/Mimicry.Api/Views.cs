using Mimicry.Client;
using Mimicry.Spec;
using Mimicry.Status;

namespace Mimicry.Api;

/// <summary>Turns the grains' and store's records into the API's contracts.</summary>
internal static class Views
{
    public static LoopView Loop(LoopSummary s, LoopSpec spec, bool interrupted) => Build(
        s.Loop, s.State, s.Reason, spec, s.BranchesFinished, s.DaysDone, s.Sessions, s.Entries, s.BitsSpent, s.MinDaysDone, s.MaxDaysDone, s.AwaitingReview,
        s.InputTokens, s.OutputTokens, s.Cost, s.Calibration, s.Updated, interrupted, s.CachedInputTokens);

    public static LoopView Loop(LoopStatus s, LoopSpec spec, bool embedded) => Build(
        s.Loop, s.State, s.Reason, spec, s.BranchesFinished, s.DaysDone, s.Sessions, s.Entries, s.BitsSpent, s.MinDaysDone, s.MaxDaysDone, s.AwaitingReview,
        s.InputTokens, s.OutputTokens, s.Cost, null, null, embedded && !s.Driving, s.CachedInputTokens);

    private static LoopView Build(string loop, RunState state, string? reason, LoopSpec spec, int finished, long days, long sessions, long entries, double bits,
        int minDays, int maxDays, int awaiting, long input, long output, double cost, CalibrationStatus? calibration, DateTimeOffset? updated, bool interrupted, long cached)
    {
        var status = LoopOutcome.AwaitingReview(state, spec.Branches, finished, awaiting) ? "awaiting review"
            : state == RunState.Running && interrupted ? "interrupted"
            : state.ToString().ToLowerInvariant();
        return new LoopView(loop, status, state.ToString().ToLowerInvariant(), reason, spec.Researcher.Id, spec.Branches, finished, spec.Days, days,
            (long)spec.Branches * spec.Days, sessions, entries, Math.Round(bits, 6), spec.Budgets.MaxBits, minDays, maxDays, spec.Anchor.AllowFutureAnchor, awaiting,
            spec.Fork is { } f ? new ForkOrigin(f.Loop, f.Branch, f.FromDay, f.Changes, Math.Round(f.Bits, 6)) : null,
            input, output, Math.Round(cost, 6), spec.Simulator.OpenAi?.Prices.Currency, spec.Budgets.MaxTokens, spec.Budgets.MaxCost,
            calibration is { } c ? new CalibrationView(c.Researcher, c.Calibrator, c.Asked, c.Open, c.Answered, c.Rated, c.Expired, c.MeanScore, c.Drift) : null,
            updated, cached);
    }

    public static ReviewView Review(Review r) => new(
        r.Id, r.Loop, r.Branch, r.Day, r.Attempt, r.Reasons, r.Anchor, r.Selection, r.Seen, r.SelectionBits, r.RerollBits, r.Chosen,
        r.Candidates.Select(c => new ReviewCandidateView(c.Slot, c.Text, c.InputTokens, c.OutputTokens, c.Verdicts.Select(Verdict).ToList())).ToList(),
        r.Created, r.State.ToString().ToLowerInvariant(), r.DecidedBy, r.DecidedAt, r.Picks, r.PickBits, r.EarlierSessions, r.EarlierInputTokens, r.EarlierOutputTokens, r.Shortlist);

    public static TripwireVerdictView Verdict(Mimicry.Tripwires.TripwireVerdict v) => new(v.Detector, v.Tripped, v.Detail);

    /// <param name="blind">The caller is the calibrator and has not answered: the simulated answer stays hidden.</param>
    public static ProbeView Probe(Probe p, bool blind) => new(
        p.Id, p.Loop, p.Researcher, p.Calibrator, p.Branch, p.Day, p.Anchor, p.Question, p.Notebook, blind && p.State == ProbeState.Open ? null : p.Simulated,
        p.Created, p.Expires, p.State.ToString().ToLowerInvariant(), p.Answer, p.AnsweredAt, p.Rating, p.Similarity, p.Score, p.Acknowledged);

    public static NotebookDayView Day(NotebookDay d) => new(
        d.Day, d.Anchor, d.Selection, d.Candidates, d.Sessions, d.Bits,
        d.Entries.Select(e => new NotebookEntryView(e.Seq, e.Slot, e.SessionId, e.Seed, e.Simulator, e.Text, e.Hash, e.InputTokens, e.OutputTokens, e.CachedInputTokens)).ToList(),
        d.InputTokens, d.OutputTokens, d.Cost, d.Loop, d.Branch, d.Review is { } r ? Review(r) : null, d.CachedInputTokens);
}
