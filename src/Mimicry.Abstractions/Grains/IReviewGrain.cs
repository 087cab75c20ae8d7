using Mimicry.Status;

namespace Mimicry.Grains;

/// <summary>
/// The reviewers' queue, for the CLI and a web UI: list, show, approve, reject. A stateless worker over the store;
/// a refused decision fails with <see cref="ArgumentException"/> whose message says why, and changes nothing.
/// A decision restarts the branch it concerns.
/// </summary>
[Alias("mimicry.IReviewGrain")]
public interface IReviewGrain : IGrainWithIntegerKey
{
    [Alias("List")]
    Task<IReadOnlyList<Review>> List(string? loop, bool pendingOnly);

    [Alias("Get")]
    Task<Review?> Get(string id);

    /// <summary>Releases the held day: the selection's choice, or the candidates in <paramref name="picks"/> (charged log2 C(N, k) bits).</summary>
    [Alias("Approve")]
    Task<Review> Approve(string id, IReadOnlyList<int>? picks, string by);

    /// <summary>Discards the held day's candidates; the branch re-runs the day or stops, per the spec's <c>review.onReject</c>.</summary>
    [Alias("Reject")]
    Task<Review> Reject(string id, string by);
}
