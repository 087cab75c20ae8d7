using Mimicry.Status;

namespace Mimicry.Storage;

/// <summary>
/// Where loops, branches and notebooks live: every concern's store in one (each store implements them all, over one
/// database). Code that needs one concern may ask for its interface alone. Notebook rows are append-only; <see cref="AppendDayAsync"/> is
/// idempotent per (loop, branch, day) and its task completes only once the day is committed (for SQLite:
/// in the WAL, which survives a killed process; see docs/operations.md for power loss). All methods do their
/// I/O off the caller's thread, so grains may await them without blocking their scheduler.
/// </summary>
public interface INotebookStore : ILoopStore, IDayStore, IProgressStore, IProbeStore, IReviewStore, IAsyncDisposable
{
    /// <summary>Where the data lives, for people: a folder path, or "memory".</summary>
    string Location { get; }
}

/// <summary>Loops (their canonical specs and states) and how their branches ended.</summary>
public interface ILoopStore
{
    Task<LoopRecord?> GetLoopAsync(string loop);

    Task<IReadOnlyList<LoopRecord>> ListLoopsAsync();

    /// <summary>Creates the loop if it does not exist; returns the record that is stored afterwards.</summary>
    Task<LoopRecord> CreateLoopAsync(LoopRecord record);

    Task SetLoopStateAsync(string loop, RunState state, string? reason);

    /// <summary>
    /// Records how a branch ended. Ends never go backwards (<see cref="BranchRecord.Later"/>): only Completed replaces
    /// another end, and nothing replaces Completed (a stale activation's Failed cannot overwrite it).
    /// </summary>
    Task SetBranchStateAsync(BranchRecord record);

    Task<IReadOnlyList<BranchRecord>> ListFinishedBranchesAsync(string loop);
}

/// <summary>The notebooks: committed days with their entries, append-only.</summary>
public interface IDayStore
{
    /// <summary>Commits a day. Returns false (and writes nothing) if that day was already committed.</summary>
    Task<bool> AppendDayAsync(DayRecord day);

    /// <summary>A branch's committed days with their entries, oldest first.</summary>
    Task<IReadOnlyList<DayRecord>> ReadDaysAsync(string loop, int branch);
}

/// <summary>Totals over a loop's committed days, kept as they are appended.</summary>
public interface IProgressStore
{
    Task<LoopProgress> GetProgressAsync(string loop, int branches);

    /// <summary>How many days each branch of the loop has committed; branches with none are absent.</summary>
    Task<IReadOnlyDictionary<int, int>> GetDaysPerBranchAsync(string loop);
}

/// <summary>Calibration probes and their scores (docs/calibration.md).</summary>
public interface IProbeStore
{
    /// <summary>Stores a new probe. Returns false (and writes nothing) if a probe with its id exists.</summary>
    Task<bool> AddProbeAsync(Probe probe);

    Task<Probe?> GetProbeAsync(string id);

    /// <summary>Probes of one loop (or all), oldest first.</summary>
    Task<IReadOnlyList<Probe>> ListProbesAsync(string? loop);

    /// <summary>
    /// Replaces a probe if it is still in state <paramref name="expected"/> (so two answers to one probe cannot both
    /// win). Returns false, writing nothing, otherwise.
    /// </summary>
    Task<bool> UpdateProbeAsync(Probe probe, ProbeState expected);

    /// <summary>Marks the loop's scored probes as seen by a person: the drift test starts over after them.</summary>
    Task AcknowledgeProbesAsync(string loop);

    /// <summary>
    /// The loop's scored probes whose score or acknowledgement changed at or after <paramref name="since"/> (0: all),
    /// and the mark to pass next time. A row may come again in a later call; none changed after a call's read is
    /// missed by the next. The drift test reads this after every sampled day instead of every probe.
    /// </summary>
    Task<ProbeScoreChanges> ReadProbeScoresAsync(string loop, long since);
}

/// <summary>Days held for review and the decisions on them (docs/reviews.md).</summary>
public interface IReviewStore
{
    /// <summary>Stores a new review. Returns false (and writes nothing) if a review with its id exists.</summary>
    Task<bool> AddReviewAsync(Review review);

    Task<Review?> GetReviewAsync(string id);

    /// <summary>Reviews of one loop (or all), oldest first; only the pending ones if <paramref name="pendingOnly"/>.</summary>
    Task<IReadOnlyList<Review>> ListReviewsAsync(string? loop, bool pendingOnly);

    /// <summary>The branch's latest review (highest day, then attempt), or null.</summary>
    Task<Review?> GetLatestReviewAsync(string loop, int branch);

    /// <summary>Replaces a review if it is still in state <paramref name="expected"/> (one decision wins). Returns false otherwise.</summary>
    Task<bool> UpdateReviewAsync(Review review, ReviewState expected);
}
