using Mimicry.Determinism;
using Mimicry.Selection;
using Mimicry.Sessions;
using Mimicry.Spec;
using Mimicry.Status;
using Mimicry.Storage;
using Mimicry.Synthetic;
using Mimicry.Text;

namespace Mimicry.Grains.Branches;

/// <summary>How a branch ends: its final state and the reason people see. <see cref="RunState.Paused"/>: waiting for a review.</summary>
public readonly record struct BranchEnd(RunState State, string Reason);

/// <summary>
/// What a day paid for beyond its candidates: draws a reviewer rejected, re-dispatches, results that came twice, the
/// critic's calls. The day that is finally kept pays for them, so budgets see every paid session and token.
/// <see cref="Cost"/> is what these tokens cost at their own model's prices (the critic's may differ from the simulator's).
/// </summary>
/// <see cref="CachedInputTokens"/> counts the input tokens among them that a server served from its prompt cache.
public readonly record struct DaySpend(int Sessions, long InputTokens, long OutputTokens, double Cost = 0, long CachedInputTokens = 0)
{
    public static DaySpend operator +(DaySpend a, DaySpend b) =>
        new(a.Sessions + b.Sessions, a.InputTokens + b.InputTokens, a.OutputTokens + b.OutputTokens, a.Cost + b.Cost, a.CachedInputTokens + b.CachedInputTokens);

    /// <summary>The tokens of a result that is not a candidate (its session is counted where it was dispatched), priced later by <see cref="AtSimulatorPrices"/>.</summary>
    public static DaySpend TokensOf(SessionResult result) => new(0, result.InputTokens, result.OutputTokens, 0, result.CachedInputTokens);

    /// <summary>Session tokens with their cost at the simulator's prices.</summary>
    public DaySpend AtSimulatorPrices(LoopSpec spec) => this with { Cost = SimulatorCost(spec, InputTokens, OutputTokens, CachedInputTokens) };

    /// <summary>The critic's calls for the day.</summary>
    public static DaySpend Of(Mimicry.Simulation.CriticVerdict verdict) => new(0, verdict.InputTokens, verdict.OutputTokens, verdict.Cost, verdict.CachedInputTokens);

    /// <summary>The judge's calls for the day.</summary>
    public static DaySpend Of(Mimicry.Simulation.JudgeVerdict verdict) => new(0, verdict.InputTokens, verdict.OutputTokens, verdict.Cost, verdict.CachedInputTokens);

    /// <summary>What the attempts before <paramref name="review"/>'s were rejected for (it carries the sum).</summary>
    public static DaySpend Before(LoopSpec spec, Review review) => new(review.EarlierSessions, review.EarlierInputTokens, review.EarlierOutputTokens,
        // A review stored before costs were kept priced its tokens at the simulator's prices.
        review.EarlierCost > 0 || review.EarlierInputTokens + review.EarlierOutputTokens == 0 ? review.EarlierCost : SimulatorCost(spec, review.EarlierInputTokens, review.EarlierOutputTokens),
        review.EarlierCachedInputTokens);

    /// <summary>The attempts before <paramref name="review"/>'s and its own: what the next attempt pays for once it is rejected.</summary>
    public static DaySpend Through(LoopSpec spec, Review review)
    {
        long input = review.Candidates.Sum(c => (long)c.InputTokens), output = review.Candidates.Sum(c => (long)c.OutputTokens), cached = review.Candidates.Sum(c => (long)c.CachedInputTokens);
        return Before(spec, review) + new DaySpend(review.Candidates.Count, input, output, SimulatorCost(spec, input, output, cached), cached);
    }

    public static double SimulatorCost(LoopSpec spec, long input, long output, long cached = 0) => spec.Simulator.OpenAi?.Prices.Cost(input, output, cached) ?? 0;
}

/// <summary>A day's outcome: the record to commit, or why the branch ends instead.</summary>
/// <remarks><see cref="Shortlist"/>: with <c>review.top</c>, the critic's top k slots (best first), which the day is held for a person to pick from.</remarks>
public sealed record DayDecision(DayRecord? Day, BranchEnd? End, IReadOnlyList<int>? Shortlist = null);

/// <summary>
/// The rules of one branch-day, free of Orleans: the branch grain and the plain (no-Orleans) reference runner both
/// use them, so a grain run can be checked entry for entry against the reference.
/// </summary>
public static class DayLogic
{
    /// <summary>Why the branch must end before <paramref name="notebook"/>'s next day, or null to go on.</summary>
    public static BranchEnd? BeforeDay(LoopSpec spec, BranchNotebook notebook, BranchBudget budget)
    {
        if (IsSolved(spec, notebook))
        {
            return new BranchEnd(RunState.Completed, $"solved after {notebook.DaysDone} days");
        }
        if (notebook.DaysDone >= spec.Days)
        {
            return new BranchEnd(RunState.Completed, $"all {spec.Days} days done");
        }
        var refusal = budget.RefuseDay(notebook.SessionsUsed, spec.Width, notebook.BitsSpent, BranchBudget.KnownDayCost(spec.Selection))
            ?? budget.RefuseSpend(notebook.TokensSpent, notebook.CostSpent, spec.Simulator.OpenAi?.Prices.Currency ?? "USD");
        return refusal is null ? null : new BranchEnd(RunState.Stopped, refusal);
    }

    /// <summary>The request of one session. Its inputs are exactly: anchor, persona, question, notebook@k, seed (and re-roll).</summary>
    public static SessionRequest Request(LoopSpec spec, int branch, int day, int slot, DateTimeOffset anchor, string[] notebookSnapshot, int reroll = 0) =>
        new(new SessionKey(spec.Name, branch, day, slot), anchor, spec.Researcher, spec.Question, notebookSnapshot, spec.Seed, spec.Simulator, reroll, spec.Fork?.Timeline ?? 0);

    /// <summary>The request of one session of a branch's next day: its notebook as sessions see it (from the latest digest on, if any).</summary>
    /// <param name="digest">The day's one session writes a digest of the notebook instead of research (<c>overflow: digest</c>).</param>
    public static SessionRequest Request(LoopSpec spec, int branch, int day, int slot, DateTimeOffset anchor, BranchNotebook notebook, int reroll = 0, bool digest = false) =>
        Request(spec, branch, day, slot, anchor, notebook.Snapshot, reroll) with { Hidden = notebook.Hidden, Digest = digest };

    /// <summary>
    /// A digest day (<c>overflow: digest</c>): its one session's text is kept as the entry that later days read in
    /// place of every earlier one. One of one is no choice: 0 bits, besides the day's re-rolls.
    /// </summary>
    public static DayDecision DecideDigest(LoopSpec spec, int branch, int day, DateTimeOffset anchor, IReadOnlyList<Candidate> candidates, BranchNotebook notebook, BranchBudget budget,
        int reroll = 0, DaySpend rejected = default)
    {
        if (candidates.All(c => c.Text is null))
        {
            return new DayDecision(null, new BranchEnd(RunState.Failed, $"the digest session of day {day} failed"));
        }
        var bits = Bits.Rerolls(reroll);
        if (budget.RefuseSelection(notebook.BitsSpent, bits) is { } over)
        {
            return new DayDecision(null, new BranchEnd(RunState.Stopped, over));
        }
        var slot = candidates.First(c => c.Text is not null).Slot;
        var selection = $"{DayRecord.DigestSelection} of entries 1 to {notebook.Entries}";
        return new DayDecision(Build(spec, branch, day, anchor, candidates, [slot], 1, bits, reroll, rejected, selection), null);
    }

    /// <summary>
    /// Selects among the day's candidates, charges bits against the budget, and builds the day's record. A day
    /// re-rolled <paramref name="reroll"/> times (its earlier draws rejected by a reviewer) is charged log2(reroll + 1) more.
    /// </summary>
    /// <param name="verdict">The model critic's choice among the usable candidates (best-of-N with a model simulator).</param>
    public static DayDecision Decide(LoopSpec spec, int branch, int day, DateTimeOffset anchor, IReadOnlyList<Candidate> candidates, BranchNotebook notebook, BranchBudget budget,
        int reroll = 0, DaySpend rejected = default, Mimicry.Simulation.CriticVerdict? verdict = null, Mimicry.Simulation.JudgeVerdict? judged = null)
    {
        // The judge said yes to slots; a text is valid when some slot with that text was (equal texts, equal answers).
        var yes = judged is null ? null : candidates.Where(c => c.Text is not null && judged.Valid.Contains(c.Slot)).Select(c => c.Text!).ToHashSet(StringComparer.Ordinal);
        var outcome = verdict is null
            ? Selector.Select(spec.Selection, candidates, text => SyntheticCritic.Score(text, notebook.Claims), text => IsValid(spec, text, notebook) && (yes is null || yes.Contains(text)))
            : ByCritic(candidates, verdict);
        if (outcome.Seen == 0)
        {
            return new DayDecision(null, new BranchEnd(RunState.Failed, $"every session of day {day} failed"));
        }
        var bits = outcome.Bits + Bits.Rerolls(reroll);
        if (budget.RefuseSelection(notebook.BitsSpent, bits) is { } over)
        {
            return new DayDecision(null, new BranchEnd(RunState.Stopped, over));
        }
        var record = Build(spec, branch, day, anchor, candidates, outcome.Chosen, outcome.Seen, bits, reroll, rejected);
        // A choice by lot is marked where people read the day's provenance.
        record = judged is { Unreadable: > 0 } ? record with { Selection = $"{record.Selection} (judge unreadable on {judged.Unreadable}, counted as no)" } : record;
        return new DayDecision(verdict?.Fallback is null ? record : record with { Selection = $"{record.Selection} (lot: critic unreadable)" }, null,
            Shortlist(spec, candidates, notebook, verdict));
    }

    /// <summary>review.top: the model critic's ranking, or the synthetic critic's top k by score (ties to the lower slot).</summary>
    private static IReadOnlyList<int>? Shortlist(LoopSpec spec, IReadOnlyList<Candidate> candidates, BranchNotebook notebook, Mimicry.Simulation.CriticVerdict? verdict)
    {
        if (spec.Review is not { Top: > 0 } review || spec.Selection.Kind != SelectionKind.BestOfN)
        {
            return null;
        }
        if (verdict is not null)
        {
            return verdict.Ranking ?? [verdict.Slot];
        }
        return candidates.Where(c => c.Text is not null)
            .OrderByDescending(c => SyntheticCritic.Score(c.Text!, notebook.Claims)).ThenBy(c => c.Slot)
            .Take(review.Top).Select(c => c.Slot).ToList();
    }

    /// <summary>The critic's choice among the usable candidates: log2 n bits, or 0 when it fell back to a lot.</summary>
    private static SelectionOutcome ByCritic(IReadOnlyList<Candidate> candidates, Mimicry.Simulation.CriticVerdict verdict)
    {
        var usable = candidates.Count(c => c.Text is not null);
        if (!candidates.Any(c => c.Slot == verdict.Slot && c.Text is not null))
        {
            throw new InvalidOperationException($"the critic chose slot {verdict.Slot}, which has no candidate");
        }
        return new SelectionOutcome([verdict.Slot], verdict.Fallback is null ? Bits.OneOf(usable) : 0, usable, 1);
    }

    /// <summary>
    /// The day a reviewer approved: the selection's choice, or the reviewer's picks (k of N charged log2 C(N, k)
    /// instead of the selection's bits), plus the re-rolls. Built from the held candidates: sessions are not run again.
    /// </summary>
    public static DayDecision Release(LoopSpec spec, Review review, BranchNotebook notebook, BranchBudget budget, DaySpend rejected = default)
    {
        var bits = (review.Picks is null ? review.SelectionBits : review.PickBits) + review.RerollBits;
        if (budget.RefuseSelection(notebook.BitsSpent, bits) is { } over)
        {
            return new DayDecision(null, new BranchEnd(RunState.Stopped, over));
        }
        var candidates = review.Candidates.Select(c => new Candidate(c.Slot, c.Text, c.InputTokens, c.OutputTokens, c.CachedInputTokens)).ToList();
        var chosen = review.Picks ?? review.Chosen;
        // A digest day stays one: later days read from it.
        var selection = DayRecord.IsDigestSelection(review.Selection) ? review.Selection : null;
        return new DayDecision(Build(spec, review.Branch, review.Day, review.Anchor, candidates, chosen, review.Seen, bits, review.Attempt - 1, rejected, selection), null);
    }

    /// <param name="selection">How the record names its selection: the spec's, unless given.</param>
    private static DayRecord Build(LoopSpec spec, int branch, int day, DateTimeOffset anchor, IReadOnlyList<Candidate> candidates, IReadOnlyList<int> chosenSlots, int seen, double bits, int reroll, DaySpend rejected,
        string? selection = null)
    {
        var entries = chosenSlots.Select((slot, seq) =>
        {
            var chosen = candidates.First(c => c.Slot == slot);
            var session = new SessionKey(spec.Name, branch, day, slot).ToString();
            return new EntryRecord(seq, slot, session, Seeds.ForSession(spec.Seed, branch, day, slot, reroll, spec.Fork?.Timeline ?? 0), spec.Simulator.Kind, chosen.Text!, ContentHash.Of(chosen.Text!),
                chosen.InputTokens, chosen.OutputTokens, chosen.CachedInputTokens);
        }).ToArray();
        // Every session the model served is paid for, chosen or not, including those of draws a reviewer rejected.
        long input = candidates.Sum(c => (long)c.InputTokens), output = candidates.Sum(c => (long)c.OutputTokens), cached = candidates.Sum(c => (long)c.CachedInputTokens);
        var cost = DaySpend.SimulatorCost(spec, input, output, cached) + rejected.Cost;
        (input, output, cached) = (input + rejected.InputTokens, output + rejected.OutputTokens, cached + rejected.CachedInputTokens);
        return new DayRecord(spec.Name, branch, day, anchor, selection ?? spec.Selection.ToString(), seen, candidates.Count + rejected.Sessions, bits, entries, input, output, cost, cached);
    }

    /// <summary>first-valid's test: the spec's filters, and for the synthetic problem also its own consistency check.</summary>
    private static bool IsValid(LoopSpec spec, string text, BranchNotebook notebook) =>
        (spec.Filters is null || CandidateFilter.Passes(spec.Filters, text))
        && (spec.Simulator.Kind != "synthetic" || SyntheticCritic.IsValid(text, notebook.Claims));

    private static bool IsSolved(LoopSpec spec, BranchNotebook notebook) =>
        spec.Simulator.Kind == "synthetic" && notebook.Claims.ProvenPrefix >= spec.Simulator.Synthetic.Lemmas;
}
