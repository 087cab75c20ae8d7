using Mimicry.Status;

namespace Mimicry.Storage;

/// <summary>A loop as stored: its canonical spec and where it is.</summary>
public sealed record LoopRecord(string Loop, string SpecJson, string SpecHash, RunState State, string? Reason, DateTimeOffset Created, DateTimeOffset Updated);

/// <summary>A branch that has finished (completed or stopped); running branches have no record.</summary>
public sealed record BranchRecord(string Loop, int Branch, RunState State, string? Reason)
{
    /// <summary>
    /// Which end stays when a second one arrives: only Completed replaces another end (a retry that went on and
    /// finished), and nothing replaces Completed (a stale activation's Failed or Stopped cannot undo it).
    /// </summary>
    public static BranchRecord Later(BranchRecord recorded, BranchRecord arriving) =>
        arriving.State == RunState.Completed && recorded.State != RunState.Completed ? arriving : recorded;
}

/// <summary>
/// One committed day of a branch: the selection's ledger row and the entries it kept. Written once, atomically,
/// idempotently per (loop, branch, day).
/// </summary>
public sealed record DayRecord(
    string Loop,
    int Branch,
    int Day,
    DateTimeOffset Anchor,
    string Selection,
    int Candidates,
    int Sessions,
    double Bits,
    IReadOnlyList<EntryRecord> Entries,
    long InputTokens = 0,
    long OutputTokens = 0,
    double Cost = 0,
    long CachedInputTokens = 0)
{
    /// <summary>How a digest day's selection begins (<c>overflow: digest</c>): its entry stands for every one before it.</summary>
    public const string DigestSelection = "digest";

    /// <summary>A digest day: one consolidation session whose entry later days read in place of the ones before it.</summary>
    public bool IsDigest => IsDigestSelection(Selection);

    public static bool IsDigestSelection(string selection) => selection.StartsWith(DigestSelection, StringComparison.Ordinal);
}

/// <summary>A notebook entry and its provenance.</summary>
/// <remarks><see cref="CachedInputTokens"/>: of the session's input tokens, those the server served from its prompt cache.</remarks>
public sealed record EntryRecord(int Seq, int Slot, string SessionId, long Seed, string Simulator, string Text, string Hash, int InputTokens = 0, int OutputTokens = 0, int CachedInputTokens = 0);

/// <summary>Totals over a loop's committed days.</summary>
/// <summary>One scored probe as the drift test needs it: where it sits in the order of simulated days, and its score.</summary>
public sealed record ProbeScore(string Id, int Branch, int Day, double Score, bool Acknowledged);

/// <summary>Scores changed at or after a mark, and the mark to read from next time (rows may come again; the latest wins).</summary>
public sealed record ProbeScoreChanges(IReadOnlyList<ProbeScore> Changed, long Next);

public sealed record LoopProgress(long DaysDone, long Sessions, long Entries, double Bits, int BranchesStarted, int MinDaysDone, int MaxDaysDone, long InputTokens = 0, long OutputTokens = 0, double Cost = 0, long CachedInputTokens = 0)
{
    public static readonly LoopProgress Empty = new(0, 0, 0, 0, 0, 0, 0);
}
