using System.Globalization;
using Microsoft.Extensions.Logging;
using Mimicry.Prompts;
using Mimicry.Selection;
using Mimicry.Sessions;
using Mimicry.Spec;
using Mimicry.Simulation;

namespace Mimicry.Models.OpenAi;

/// <summary>
/// The model critic of best-of-N (docs/models.md#the-critic). One call per branch-day sees the situation and the
/// candidates, fenced as data and shown in a seeded shuffled order, and must answer with one draft number. An answer
/// that is anything else is asked again (with a fresh seed) up to the critic's retries; if none can be read, the day
/// keeps a candidate drawn by lot and is charged 0 bits, since no selection pressure was applied. A server that cannot
/// be reached or refuses fails the call, as it fails a session. Its calls go through the same admission as sessions.
/// </summary>
public sealed partial class OpenAiCritic(OpenAiBackends backends, MimicryClock clock, ILogger<OpenAiCritic> logger) : ICandidateCritic
{
    public async Task<CriticVerdict> ChooseAsync(LoopSpec spec, SessionRequest situation, IReadOnlyList<Candidate> usable, CancellationToken cancellationToken)
    {
        var model = (spec.Critic ?? throw new InvalidOperationException("best-of-N without a critic")).Model;
        var order = CriticPrompt.Order(situation, usable.Count);
        var shown = order.Select(i => usable[i].Text!).ToList();
        // review.top: a ranking of the k best for a person, else one choice.
        var top = spec.Review is { Top: > 0 } review ? Math.Min(review.Top, shown.Count) : 0;
        // Within the critic's context window too: the notebook's oldest entries give way first, never a draft.
        var template = CriticPrompt.For(model.Prompt, top);
        var prompt = ContextFit.Fit(leftOut => CriticPrompt.Build(template, situation, shown, top, leftOut), situation.Notebook.Length, model, TokenCounter.For(model.Model).Count).Messages;
        var day = $"{situation.Key.Loop}/{situation.Key.Branch}/{situation.Key.Day}";
        IReadOnlyList<int>? Read(string text) => top > 0
            ? CriticPrompt.ParseRanking(text, shown.Count, top)
            : CriticPrompt.ParseChoice(text, shown.Count) is { } n ? [n] : null;
        try
        {
            var result = await RetryingCall.RunAsync(backends, clock, model, spec.Name, prompt, CriticPrompt.Seed(situation),
                answer => Read(answer.Text) is null
                    ? top > 0 ? $"the critic's answer is not {top} distinct draft numbers from 1 to {shown.Count}" : $"the critic's answer is not a draft number from 1 to {shown.Count}"
                    : null,
                (attempt, reason, delay) => Retrying(day, attempt, reason, delay), cancellationToken);
            var slots = Read(result.Answer.Text)!.Select(n => usable[order[n - 1]].Slot).ToList();
            return new CriticVerdict(slots[0], result.InputTokens, result.OutputTokens, model.Prices.Cost(result.InputTokens, result.OutputTokens, result.CachedInputTokens), result.Calls,
                Ranking: top > 0 ? slots : null, CachedInputTokens: result.CachedInputTokens);
        }
        catch (ModelCallException ex) when (ex.Reason == "unreadable")
        {
            // The server answered every time, never as asked: choose by lot (the shown order is already a seeded shuffle), and say so.
            var lots = order.Take(Math.Max(1, top)).Select(i => usable[i].Slot).ToList();
            Unreadable(day, model.Retries + 1, lots[0]);
            return new CriticVerdict(lots[0], ex.InputTokens, ex.OutputTokens, model.Prices.Cost(ex.InputTokens, ex.OutputTokens), model.Retries + 1,
                $"no answer of the critic's {model.Retries + 1} could be read: {(top > 0 ? $"slots {string.Join(", ", lots)}" : $"slot {lots[0]}")} drawn by lot, 0 bits",
                top > 0 ? lots : null);
        }
    }

    public async Task<JudgeVerdict> JudgeAsync(LoopSpec spec, JudgeSpec judge, SessionRequest situation, IReadOnlyList<Candidate> candidates, CancellationToken cancellationToken)
    {
        // "{{today}}" in the criteria is the day's anchor (the tripwire judge's built-in criteria use it).
        var criteria = judge.Criteria.Replace("{{today}}", situation.Anchor.UtcDateTime.ToString("d MMMM yyyy", CultureInfo.InvariantCulture), StringComparison.Ordinal);
        var day = $"{situation.Key.Loop}/{situation.Key.Branch}/{situation.Key.Day}";
        // All at once: the backend's gate admits them as it admits sessions.
        var answers = await Task.WhenAll(candidates.Select(async c =>
        {
            var prompt = ContextFit.Fit(leftOut => JudgePrompt.Build(judge.Model.Prompt, situation, c.Text!, criteria, leftOut), situation.Notebook.Length,
                judge.Model, TokenCounter.For(judge.Model.Model).Count).Messages;
            var label = $"{day} slot {c.Slot}";
            try
            {
                var result = await RetryingCall.RunAsync(backends, clock, judge.Model, spec.Name, prompt, JudgePrompt.Seed(situation, c.Slot),
                    answer => JudgePrompt.ParseAnswer(answer.Text) is null ? "the judge's answer is neither yes nor no" : null,
                    (attempt, reason, delay) => Retrying(label, attempt, reason, delay), cancellationToken);
                return (c.Slot, Yes: JudgePrompt.ParseAnswer(result.Answer.Text) == true, Unreadable: false, result.InputTokens, result.OutputTokens, result.CachedInputTokens, result.Calls);
            }
            catch (ModelCallException ex) when (ex.Reason == "unreadable")
            {
                return (c.Slot, Yes: false, Unreadable: true, ex.InputTokens, ex.OutputTokens, CachedInputTokens: 0, Calls: judge.Model.Retries + 1);
            }
        }));
        long input = answers.Sum(a => (long)a.InputTokens), output = answers.Sum(a => (long)a.OutputTokens), cached = answers.Sum(a => (long)a.CachedInputTokens);
        return new JudgeVerdict(answers.Where(a => a.Yes).Select(a => a.Slot).ToHashSet(), input, output, judge.Model.Prices.Cost(input, output, cached),
            answers.Sum(a => a.Calls), answers.Count(a => a.Unreadable), cached);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Critic of {Day}: attempt {Attempt} failed ({Reason}); retrying in {Delay:0.0} s")]
    private partial void Retrying(string day, int attempt, string reason, double delay);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Critic of {Day}: none of {Calls} answers named a draft; slot {Slot} kept by lot (0 bits)")]
    private partial void Unreadable(string day, int calls, int slot);
}
