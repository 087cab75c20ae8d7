namespace Mimicry.Selection;

/// <summary>One session's output for a day, by slot. <see cref="Text"/> is null when the session failed.</summary>
public readonly record struct Candidate(int Slot, string? Text, int InputTokens = 0, int OutputTokens = 0, int CachedInputTokens = 0);

/// <summary>The slots whose candidates become the day's entries, in order, and the bits the choice cost.</summary>
public sealed record SelectionOutcome(IReadOnlyList<int> Chosen, double Bits, int Seen, int Passed);
