using Mimicry.Selection;
using Mimicry.Sessions;
using Mimicry.Spec;

namespace Mimicry.Simulation;

/// <summary>
/// The model critic of best-of-N: names the best of a branch-day's candidates. Throws (an <see cref="IBilledFailure"/>
/// with what was billed) when no answer could be had from the server at all.
/// </summary>
public interface ICandidateCritic
{
    /// <param name="situation">The day as its sessions saw it (slot 0's request): persona, question, anchor, notebook.</param>
    /// <param name="usable">The candidates with text, in slot order (at least two).</param>
    Task<CriticVerdict> ChooseAsync(LoopSpec spec, SessionRequest situation, IReadOnlyList<Candidate> usable, CancellationToken cancellationToken);

    /// <summary>
    /// A model judge (first-valid's <c>filters.judge</c>, or <c>tripwires.modelJudge</c>): asks of each candidate given
    /// whether it meets <paramref name="judge"/>'s criteria (<c>{{today}}</c> in them is the day's anchor).
    /// </summary>
    Task<JudgeVerdict> JudgeAsync(LoopSpec spec, JudgeSpec judge, SessionRequest situation, IReadOnlyList<Candidate> candidates, CancellationToken cancellationToken);
}

/// <summary>
/// The slots the judge said yes to, and what its calls cost. <see cref="Unreadable"/> counts candidates whose every
/// answer was neither yes nor no: they count as no (the day's pass rate, and so its −log2 p charge, errs high).
/// </summary>
public sealed record JudgeVerdict(IReadOnlySet<int> Valid, long InputTokens, long OutputTokens, double Cost, int Calls, int Unreadable = 0, long CachedInputTokens = 0);

/// <summary>
/// What the critic decided and what it cost: the chosen slot, the tokens and cost of every call it made (retries
/// included), and, when its answers could never be read, <see cref="Fallback"/>: the slot was then drawn by lot, which
/// applies no selection pressure and is charged 0 bits.
/// </summary>
/// <see cref="Ranking"/> is the critic's top k (best first) when the loop offers them to a reviewer (<c>review.top</c>).
public sealed record CriticVerdict(int Slot, long InputTokens, long OutputTokens, double Cost, int Calls, string? Fallback = null, IReadOnlyList<int>? Ranking = null, long CachedInputTokens = 0);
