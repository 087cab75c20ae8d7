namespace Mimicry.Status;

/// <summary>A committed notebook day as it crosses the wire to a client.</summary>
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
    [property: Id(9)] double Cost = 0);

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
    [property: Id(8)] int OutputTokens = 0);
