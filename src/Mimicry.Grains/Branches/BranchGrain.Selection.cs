using System.Diagnostics;
using Mimicry.Selection;
using Mimicry.Spec;
using Mimicry.Status;
using Mimicry.Telemetry;
using Mimicry.Simulation;

namespace Mimicry.Grains.Branches;

/// <summary>The model calls a day's selection makes with a model simulator: the best-of-N critic, or first-valid's judge.</summary>
public sealed partial class BranchGrain
{
    private readonly record struct SelectionModels(CriticVerdict? Verdict, JudgeVerdict? Judged, DaySpend Spend, BranchEnd? End);

    private async Task<SelectionModels> AskSelectionModelsAsync(
        LoopSpec spec, int branch, int day, DateTimeOffset anchor, IReadOnlyList<Candidate> candidates, BranchNotebook notebook, int reroll, Activity? dayActivity, CancellationToken stop)
    {
        var situation = DayLogic.Request(spec, branch, day, 0, anchor, notebook, reroll);
        if (spec.Critic is not null && spec.Selection.Kind == SelectionKind.BestOfN)
        {
            var usable = candidates.Where(c => c.Text is not null).OrderBy(c => c.Slot).ToList();
            if (usable.Count < 2)
            {
                return default; // nothing to choose between
            }
            var (verdict, end) = await AskAsync("critic", day, dayActivity, () => critic.ChooseAsync(spec, situation, usable, stop), stop);
            return new SelectionModels(verdict, null, verdict is null ? default : DaySpend.Of(verdict), end);
        }
        if (spec.Filters is { Judge: { } judge } filters && spec.Selection.Kind == SelectionKind.FirstValid)
        {
            // Only candidates that pass the other filters are worth a call.
            var asked = candidates.Where(c => c.Text is not null && CandidateFilter.Passes(filters, c.Text)).ToList();
            if (asked.Count == 0)
            {
                return default;
            }
            var (judged, end) = await AskAsync("judge", day, dayActivity, () => critic.JudgeAsync(spec, judge, situation, asked, stop), stop);
            return new SelectionModels(null, judged, judged is null ? default : DaySpend.Of(judged), end);
        }
        return default;
    }

    /// <summary>
    /// <c>tripwires.modelJudge</c>: every candidate with text is asked of the judge (as the tripwires screen every
    /// candidate, not only the kept one); the slots it did not pass trip <c>model-judge</c>. Its calls are paid like the
    /// critic's, in the day's totals.
    /// </summary>
    private async Task<(JudgeVerdict? Verdict, BranchEnd? End)> AskTripwireJudgeAsync(
        LoopSpec spec, int branch, int day, DateTimeOffset anchor, IReadOnlyList<Candidate> candidates, BranchNotebook notebook, int reroll, Activity? dayActivity, CancellationToken stop)
    {
        if (spec.Tripwires?.ModelJudge is not { } judge)
        {
            return default;
        }
        var asked = candidates.Where(c => c.Text is not null).ToList();
        if (asked.Count == 0)
        {
            return default;
        }
        var situation = DayLogic.Request(spec, branch, day, 0, anchor, notebook, reroll);
        return await AskAsync("tripwire-judge", day, dayActivity, () => critic.JudgeAsync(spec, judge, situation, asked, stop), stop);
    }

    /// <summary>
    /// One model step of the day, off the grain scheduler like the sessions (the day waits for it as it waited for
    /// them), in a span of its own. A failure ends the branch with the reason, as a day whose sessions all failed does.
    /// </summary>
    private async Task<(T? Result, BranchEnd? End)> AskAsync<T>(string who, int day, Activity? dayActivity, Func<Task<T>> call, CancellationToken stop) where T : class
    {
        try
        {
            var result = await Task.Run(async () =>
            {
                using var span = MimicryTelemetry.Source.StartActivity($"mimicry.{who}");
                try
                {
                    return await call();
                }
                catch (Exception ex)
                {
                    MimicryTelemetry.Fail(span, ex);
                    throw;
                }
            }, stop);
            return (result, null);
        }
        catch (Exception ex) when (ex is not OperationCanceledException && !ShuttingDown(stop))
        {
            MimicryTelemetry.Fail(dayActivity, ex);
            return (null, new BranchEnd(RunState.Failed, $"day {day}: the {who} failed: {ex.Message}"));
        }
    }
}
