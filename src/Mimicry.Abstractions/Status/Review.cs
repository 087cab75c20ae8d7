using Mimicry.Tripwires;

namespace Mimicry.Status;

/// <summary>Where a review is: waiting for a person, or decided.</summary>
[GenerateSerializer, Alias("mimicry.ReviewState")]
public enum ReviewState
{
    Pending,
    Approved,
    Rejected,

    /// <summary>Its day was committed without it (by another activation of the branch): nothing is left to decide.</summary>
    Superseded,
}

/// <summary>One session's output held for review, with what each tripwire said of it. Text is untrusted (model output).</summary>
[GenerateSerializer, Immutable, Alias("mimicry.ReviewCandidate")]
public sealed record ReviewCandidate(
    [property: Id(0)] int Slot,
    [property: Id(1)] string? Text,
    [property: Id(2)] int InputTokens,
    [property: Id(3)] int OutputTokens,
    [property: Id(4)] IReadOnlyList<TripwireVerdict> Verdicts,
    [property: Id(5)] int CachedInputTokens = 0);

/// <summary>
/// A branch-day held back from the notebook until a person decides: at a review gate, or because a tripwire tripped
/// on one of its candidates (quarantine). <see cref="Chosen"/> is what the loop's selection would keep;
/// approving keeps it (or the candidates the reviewer picks), rejecting discards every candidate. <see cref="Attempt"/> counts from 1;
/// each rejection with <c>onReject: rerun</c> re-rolls the day as the next attempt. <c>Earlier*</c> is what the
/// rejected attempts before this one cost (and this attempt's critic calls): the day finally kept pays for them.
/// <see cref="Shortlist"/> (<c>review.top</c>): the critic's top k slots, best first; a reviewer's picks must come from it. Ids read "loop/branch/day/attempt".
/// </summary>
[GenerateSerializer, Immutable, Alias("mimicry.Review")]
public sealed record Review(
    [property: Id(0)] string Id,
    [property: Id(1)] string Loop,
    [property: Id(2)] int Branch,
    [property: Id(3)] int Day,
    [property: Id(4)] int Attempt,
    [property: Id(5)] IReadOnlyList<string> Reasons,
    [property: Id(6)] DateTimeOffset Anchor,
    [property: Id(7)] string Selection,
    [property: Id(8)] int Seen,
    [property: Id(9)] double SelectionBits,
    [property: Id(10)] double RerollBits,
    [property: Id(11)] IReadOnlyList<int> Chosen,
    [property: Id(12)] IReadOnlyList<ReviewCandidate> Candidates,
    [property: Id(13)] DateTimeOffset Created,
    [property: Id(14)] ReviewState State,
    [property: Id(15)] string? DecidedBy = null,
    [property: Id(16)] DateTimeOffset? DecidedAt = null,
    [property: Id(17)] IReadOnlyList<int>? Picks = null,
    [property: Id(18)] double PickBits = 0,
    [property: Id(19)] int EarlierSessions = 0,
    [property: Id(20)] long EarlierInputTokens = 0,
    [property: Id(21)] long EarlierOutputTokens = 0,
    [property: Id(22)] double EarlierCost = 0,
    [property: Id(23), System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<int>? Shortlist = null,
    [property: Id(24)] long EarlierCachedInputTokens = 0)
{
    public static string IdFor(string loop, int branch, int day, int attempt) => $"{loop}/{branch}/{day}/{attempt}";

    /// <summary>True when a tripwire tripped on at least one candidate.</summary>
    public bool Quarantined => Candidates.Any(c => c.Verdicts.Any(v => v.Tripped));
}
