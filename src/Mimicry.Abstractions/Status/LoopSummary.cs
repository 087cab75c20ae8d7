namespace Mimicry.Status;

/// <summary>A loop as a client lists it: the stored spec, state and totals.</summary>
[GenerateSerializer, Immutable, Alias("mimicry.LoopSummary")]
public sealed record LoopSummary(
    [property: Id(0)] string Loop,
    [property: Id(1)] string SpecJson,
    [property: Id(2)] RunState State,
    [property: Id(3)] string? Reason,
    [property: Id(4)] int BranchesFinished,
    [property: Id(5)] long DaysDone,
    [property: Id(6)] long Sessions,
    [property: Id(7)] long Entries,
    [property: Id(8)] double BitsSpent,
    [property: Id(9)] DateTimeOffset Updated,
    [property: Id(10)] long InputTokens = 0,
    [property: Id(11)] long OutputTokens = 0,
    [property: Id(12)] double Cost = 0,
    [property: Id(13)] CalibrationStatus? Calibration = null,
    [property: Id(14)] int MinDaysDone = 0,
    [property: Id(15)] int MaxDaysDone = 0,
    [property: Id(16)] int AwaitingReview = 0,
    [property: Id(17)] long CachedInputTokens = 0);
