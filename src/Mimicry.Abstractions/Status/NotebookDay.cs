namespace Mimicry.Status;

/// <summary>
/// A committed notebook day as it crosses the wire to a client. <see cref="Loop"/> and <see cref="Branch"/> say where it
/// was written (a fork's first days belong to its parent); <see cref="Review"/> is the decision that released it, if any.
/// </summary>
[GenerateSerializer, Immutable, Alias("mimicry.NotebookDay")]
public sealed record NotebookDay(
    [property: Id(0)] int Day,
    [property: Id(1)] DateTimeOffset Anchor,
    [property: Id(2)] string Selection,
    [property: Id(3)] int Candidates,
    [property: Id(4)] int Sessions,
    [property: Id(5)] double Bits,
    [property: Id(6)] IReadOnlyList<NotebookEntry> Entries,
    [property: Id(7)] long InputTokens = 0,
    [property: Id(8)] long OutputTokens = 0,
    [property: Id(9)] double Cost = 0,
    [property: Id(10)] string? Loop = null,
    [property: Id(11)] int Branch = 0,
    [property: Id(12)] Review? Review = null,
    [property: Id(13)] long CachedInputTokens = 0);

/// <summary>A notebook entry and its provenance, on the wire. Its text is untrusted model output.</summary>
[GenerateSerializer, Immutable, Alias("mimicry.NotebookEntry")]
public sealed record NotebookEntry(
    [property: Id(0)] int Seq,
    [property: Id(1)] int Slot,
    [property: Id(2)] string SessionId,
    [property: Id(3)] long Seed,
    [property: Id(4)] string Simulator,
    [property: Id(5)] string Text,
    [property: Id(6)] string Hash,
    [property: Id(7)] int InputTokens = 0,
    [property: Id(8)] int OutputTokens = 0,
    [property: Id(9)] int CachedInputTokens = 0);
