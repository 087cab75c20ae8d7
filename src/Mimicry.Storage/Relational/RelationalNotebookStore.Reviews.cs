using Mimicry.Status;

namespace Mimicry.Storage.Relational;

/// <summary>Reviews: the record as JSON; loop, branch, day, attempt and state as columns.</summary>
public abstract partial class RelationalNotebookStore
{
    public async Task<bool> AddReviewAsync(Review review) => await WriteAsync(
        $"INSERT INTO {Reviews}(id, loop, branch, day, attempt, state, created, json) VALUES(@id, @loop, @branch, @day, @attempt, @state, @created, @json) ON CONFLICT DO NOTHING",
        ("id", review.Id), ("loop", review.Loop), ("branch", review.Branch), ("day", review.Day), ("attempt", review.Attempt), ("state", review.State.ToString()),
        ("created", Dialect.Time(review.Created)), ("json", RecordJson.Serialize(review))) == 1;

    public async Task<Review?> GetReviewAsync(string id) => (await QueryReviewsAsync("WHERE id = @p", id)).SingleOrDefault();

    public Task<IReadOnlyList<Review>> ListReviewsAsync(string? loop, bool pendingOnly)
    {
        var pending = pendingOnly ? "state = 'Pending'" : null;
        return loop is null
            ? QueryReviewsAsync(pending is null ? "" : $"WHERE {pending}", null)
            : QueryReviewsAsync(pending is null ? "WHERE loop = @p" : $"WHERE loop = @p AND {pending}", loop);
    }

    public Task<Review?> GetLatestReviewAsync(string loop, int branch) => ReadAsync(async c =>
    {
        await using var cmd = Command(c, $"SELECT json FROM {Reviews} WHERE loop = @loop AND branch = @branch ORDER BY day DESC, attempt DESC LIMIT 1", ("loop", loop), ("branch", branch));
        return await cmd.ExecuteScalarAsync() is string json ? RecordJson.Review(json) : null;
    });

    private Task<IReadOnlyList<Review>> QueryReviewsAsync(string where, string? parameter) => ReadAsync<IReadOnlyList<Review>>(async c =>
    {
        await using var cmd = parameter is null
            ? Command(c, $"SELECT json FROM {Reviews} {where} ORDER BY created, id")
            : Command(c, $"SELECT json FROM {Reviews} {where} ORDER BY created, id", ("p", parameter));
        return await DbCommands.ListAsync(cmd, r => RecordJson.Review(r.GetString(0)));
    });

    public async Task<bool> UpdateReviewAsync(Review review, ReviewState expected) => await WriteAsync(
        $"UPDATE {Reviews} SET state = @state, json = @json WHERE id = @id AND state = @expected",
        ("state", review.State.ToString()), ("json", RecordJson.Serialize(review)), ("id", review.Id), ("expected", expected.ToString())) == 1;
}
