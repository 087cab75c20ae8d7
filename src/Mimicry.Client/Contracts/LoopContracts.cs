namespace Mimicry.Client;

/// <summary>
/// A loop as the API shows it: its state and progress, and the budgets from its spec. <see cref="Status"/> is what
/// people read ("running", "completed", "awaiting review", "interrupted", …); <see cref="State"/> is the stored state.
/// </summary>
public sealed record LoopView(
    string Loop,
    string Status,
    string State,
    string? Reason,
    string Researcher,
    int Branches,
    int BranchesFinished,
    int DaysPerBranch,
    long Days,
    long DaysPlanned,
    long Sessions,
    long Entries,
    double BitsSpent,
    double MaxBits,
    int MinDaysDone,
    int MaxDaysDone,
    bool FutureAnchorsAllowed,
    int AwaitingReview,
    ForkOrigin? ForkedFrom,
    long InputTokens,
    long OutputTokens,
    double Cost,
    string? Currency,
    long MaxTokens,
    double MaxCost,
    CalibrationView? Calibration,
    DateTimeOffset? Updated,
    long CachedInputTokens = 0)
{
    /// <summary>True once the loop will do nothing more without a person: it ended, or every unfinished branch waits for review.</summary>
    public bool Settled => State != "running" || Status == "awaiting review" || Status == "interrupted";
}

/// <summary>Where a fork starts: the first <see cref="Day"/> days of <see cref="Branch"/> of <see cref="Loop"/>.</summary>
public sealed record ForkOrigin(string Loop, int Branch, int Day, IReadOnlyList<string> Changes, double Bits);

/// <summary>A loop's calibration at a glance.</summary>
public sealed record CalibrationView(string Researcher, string Calibrator, int Asked, int Open, int Answered, int Rated, int Expired, double? MeanScore, string Drift);

/// <summary>The body of <c>POST /loops/{loop}/cancel</c>.</summary>
public sealed record CancelRequest(string? Reason = null);

/// <summary>The body of <c>POST /loops/{loop}/forks</c>: branch <see cref="Branch"/>'s first <see cref="FromDay"/> days, with changed settings.</summary>
public sealed record ForkRequest(int Branch, int FromDay, IReadOnlyList<string>? Set = null, string? Name = null);

/// <summary>What forking did: the new loop, where it starts and what it charged.</summary>
public sealed record ForkResult(string Loop, string Status, ForkOrigin ForkedFrom, double ForkBits, string Description);

/// <summary>One page of a branch's notebook, oldest day first. <see cref="NextFromDay"/> asks for the next page; null at the end.</summary>
public sealed record NotebookPage(string Loop, int Branch, int DaysPlanned, IReadOnlyList<NotebookDayView> Days, int? NextFromDay);

/// <summary>A committed day of a notebook with its provenance. Entry text is untrusted model output.</summary>
public sealed record NotebookDayView(
    int Day, DateTimeOffset Anchor, string Selection, int Candidates, int Sessions, double Bits, IReadOnlyList<NotebookEntryView> Entries,
    long InputTokens, long OutputTokens, double Cost, string? Loop, int Branch, ReviewView? Review, long CachedInputTokens = 0);

/// <summary>One entry and where it came from.</summary>
public sealed record NotebookEntryView(int Seq, int Slot, string SessionId, long Seed, string Simulator, string Text, string Hash, int InputTokens, int OutputTokens, int CachedInputTokens = 0);

/// <summary>A loop's branches: days each has committed (a fork's own days, after its shared prefix) and where each is.</summary>
public sealed record BranchesView(string Loop, int DaysPerBranch, IReadOnlyList<BranchView> Branches);

/// <summary>One branch: its own committed days and its state (running, held for review, or how it ended).</summary>
public sealed record BranchView(int Branch, int Days, string State, string? Reason);

/// <summary>The drift test over a loop's scored probes in the order of simulated days: each score and the statistic after it.</summary>
public sealed record CalibrationSeries(string Loop, bool Enabled, double Threshold, int Baseline, string State, IReadOnlyList<DriftPoint> Points);

/// <summary>One scored probe and the drift statistic (CUSUM) once it is counted.</summary>
public sealed record DriftPoint(string Probe, int Branch, int Day, double Score, double Cusum, bool Acknowledged);
