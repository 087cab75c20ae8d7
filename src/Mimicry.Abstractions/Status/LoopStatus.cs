namespace Mimicry.Status;

/// <summary>
/// A loop's progress as recorded in the notebook store. <see cref="AwaitingReview"/> counts branches whose next day
/// waits for a person; <see cref="Driving"/> says whether this activation is running the loop's branches.
/// </summary>
[GenerateSerializer, Immutable, Alias("mimicry.LoopStatus")]
public sealed record LoopStatus(
    [property: Id(0)] string Loop,
    [property: Id(1)] RunState State,
    [property: Id(2)] string? Reason,
    [property: Id(3)] int Branches,
    [property: Id(4)] int BranchesFinished,
    [property: Id(5)] int DaysPerBranch,
    [property: Id(6)] long DaysDone,
    [property: Id(7)] long Sessions,
    [property: Id(8)] long Entries,
    [property: Id(9)] double BitsSpent,
    [property: Id(10)] int MinDaysDone,
    [property: Id(11)] int MaxDaysDone,
    [property: Id(12)] long InputTokens = 0,
    [property: Id(13)] long OutputTokens = 0,
    [property: Id(14)] double Cost = 0,
    [property: Id(15)] int AwaitingReview = 0,
    [property: Id(16)] bool Driving = false,
    [property: Id(17)] long CachedInputTokens = 0);
