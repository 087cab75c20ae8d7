using Mimicry.Status;

namespace Mimicry.Storage;

/// <summary>Reviews in memory.</summary>
public sealed partial class InMemoryNotebookStore
{
    private readonly Lock _reviewGate = new();
    private readonly Dictionary<string, Review> _reviews = new(StringComparer.Ordinal);

    public Task<bool> AddReviewAsync(Review review)
    {
        lock (_reviewGate)
        {
            return Task.FromResult(_reviews.TryAdd(review.Id, review));
        }
    }

    public Task<Review?> GetReviewAsync(string id)
    {
        lock (_reviewGate)
        {
            return Task.FromResult(_reviews.GetValueOrDefault(id));
        }
    }

    public Task<IReadOnlyList<Review>> ListReviewsAsync(string? loop, bool pendingOnly)
    {
        lock (_reviewGate)
        {
            return Task.FromResult<IReadOnlyList<Review>>(_reviews.Values
                .Where(r => (loop is null || r.Loop == loop) && (!pendingOnly || r.State == ReviewState.Pending))
                .OrderBy(r => r.Created).ThenBy(r => r.Id, StringComparer.Ordinal).ToList());
        }
    }

    public Task<Review?> GetLatestReviewAsync(string loop, int branch)
    {
        lock (_reviewGate)
        {
            return Task.FromResult(_reviews.Values.Where(r => r.Loop == loop && r.Branch == branch)
                .OrderByDescending(r => r.Day).ThenByDescending(r => r.Attempt).FirstOrDefault());
        }
    }

    public Task<bool> UpdateReviewAsync(Review review, ReviewState expected)
    {
        lock (_reviewGate)
        {
            if (!_reviews.TryGetValue(review.Id, out var current) || current.State != expected)
            {
                return Task.FromResult(false);
            }
            _reviews[review.Id] = review;
            return Task.FromResult(true);
        }
    }
}
