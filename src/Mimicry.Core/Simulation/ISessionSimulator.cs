using Mimicry.Sessions;

namespace Mimicry.Simulation;

/// <summary>Produces one session's candidate entry from its request. Implementations hold no per-session state.</summary>
public interface ISessionSimulator
{
    /// <summary>The <c>simulator.kind</c> this serves.</summary>
    string Kind { get; }

    Task<SessionOutput> RunAsync(SessionRequest request, CancellationToken cancellationToken);
}

/// <summary>A session's entry text and the tokens the model billed for it (zero for the synthetic simulator).</summary>
public sealed record SessionOutput(string Text, int InputTokens = 0, int OutputTokens = 0, int CachedInputTokens = 0);

/// <summary>
/// A simulator failure that still cost tokens: attempts the server answered and billed (an empty answer, say) before
/// the session gave up. The day pays for them like any other session's tokens.
/// </summary>
public interface IBilledFailure
{
    int InputTokens { get; }

    int OutputTokens { get; }
}
