using Microsoft.Extensions.Logging;
using Mimicry.Determinism;
using Mimicry.Grains;
using Mimicry.Grains.Simulators;
using Mimicry.Prompts;
using Mimicry.Selection;
using Mimicry.Sessions;
using Mimicry.Spec;

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
        var prompt = CriticPrompt.Build(model.Prompt, situation, shown);
        var day = $"{situation.Key.Loop}/{situation.Key.Branch}/{situation.Key.Day}";
        try
        {
            var result = await RetryingCall.RunAsync(backends, clock, model, spec.Name, prompt, CriticPrompt.Seed(situation),
                answer => CriticPrompt.ParseChoice(answer.Text, shown.Count) is null ? $"the critic's answer is not a draft number from 1 to {shown.Count}" : null,
                (attempt, reason, delay) => Retrying(day, attempt, reason, delay), cancellationToken);
            var slot = usable[order[CriticPrompt.ParseChoice(result.Answer.Text, shown.Count)!.Value - 1]].Slot;
            return new CriticVerdict(slot, result.InputTokens, result.OutputTokens, model.Prices.Cost(result.InputTokens, result.OutputTokens), result.Calls);
        }
        catch (ModelCallException ex) when (ex.Reason == "unreadable")
        {
            // The server answered every time, never with a draft number: choose by lot, and say so.
            var lot = usable[(int)((ulong)Seeds.Derive(CriticPrompt.Seed(situation), usable.Count) % (ulong)usable.Count)].Slot;
            Unreadable(day, model.Retries + 1, lot);
            return new CriticVerdict(lot, ex.InputTokens, ex.OutputTokens, model.Prices.Cost(ex.InputTokens, ex.OutputTokens), model.Retries + 1,
                $"no answer of the critic's {model.Retries + 1} was a draft number: slot {lot} drawn by lot, 0 bits");
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Critic of {Day}: attempt {Attempt} failed ({Reason}); retrying in {Delay:0.0} s")]
    private partial void Retrying(string day, int attempt, string reason, double delay);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Critic of {Day}: none of {Calls} answers named a draft; slot {Slot} kept by lot (0 bits)")]
    private partial void Unreadable(string day, int calls, int slot);
}
