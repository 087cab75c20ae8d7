using Mimicry.Spec;

namespace Mimicry.Sessions;

/// <summary>Identifies one session: a slot of a day of a branch of a loop. Stable across retries, so it makes re-runs idempotent.</summary>
[GenerateSerializer, Immutable, Alias("mimicry.SessionKey")]
public sealed record SessionKey(
    [property: Id(0)] string Loop,
    [property: Id(1)] int Branch,
    [property: Id(2)] int Day,
    [property: Id(3)] int Slot)
{
    public override string ToString() => $"{Loop}/{Branch}/{Day}/{Slot}";
}

/// <summary>
/// Everything a session may know. Nothing else reaches it: no earlier session's memory, only the notebook
/// as it stood before this day (<see cref="Notebook"/>, oldest entry first). <see cref="Reroll"/> counts re-rolls of
/// the day after a reviewer rejected it, <see cref="Timeline"/> the fork a session belongs to (0: none): both change
/// the session's randomness, nothing else.
/// <para>
/// With <c>overflow: digest</c>, <see cref="Notebook"/> starts at the branch's latest digest (an entry that stands for
/// every one before it), and <see cref="Hidden"/> says how many entries before it are not given; <see cref="Digest"/>
/// marks the consolidation session that writes the next digest instead of a day's research.
/// </para>
/// </summary>
[GenerateSerializer, Immutable, Alias("mimicry.SessionRequest")]
public sealed record SessionRequest(
    [property: Id(0)] SessionKey Key,
    [property: Id(1)] DateTimeOffset Anchor,
    [property: Id(2)] ResearcherSpec Researcher,
    [property: Id(3)] string Question,
    [property: Id(4)] string[] Notebook,
    [property: Id(5)] long Seed,
    [property: Id(6)] SimulatorSpec Simulator,
    [property: Id(7)] int Reroll = 0,
    [property: Id(8)] int Timeline = 0,
    [property: Id(9)] int Hidden = 0,
    [property: Id(10)] bool Digest = false);

/// <summary>
/// A session's output: one candidate entry, or the reason it failed, and the tokens a model billed for it
/// (<see cref="CachedInputTokens"/>: of the input tokens, those the server served from its prompt cache).
/// </summary>
[GenerateSerializer, Immutable, Alias("mimicry.SessionResult")]
public sealed record SessionResult(
    [property: Id(0)] SessionKey Key,
    [property: Id(1)] string? Text,
    [property: Id(2)] string? Error,
    [property: Id(3)] int InputTokens = 0,
    [property: Id(4)] int OutputTokens = 0,
    [property: Id(5)] int CachedInputTokens = 0);
