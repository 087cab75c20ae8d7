using Mimicry.Status;
using Npgsql;

namespace Mimicry.Storage.Postgres;

/// <summary>Reviews in PostgreSQL: the record as JSON; loop, branch, day, attempt and state as columns.</summary>
public sealed partial class PostgresNotebookStore
{
    public async Task<bool> AddReviewAsync(Review review) => await _writer.Enqueue(
        """
        WITH i AS (INSERT INTO mimicry_reviews(id, loop, branch, day, attempt, state, created, json)
                   VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT DO NOTHING RETURNING 1)
        SELECT count(*) FROM i
        """,
        review.Id, review.Loop, review.Branch, review.Day, review.Attempt, review.State.ToString(), review.Created.ToUniversalTime(), ReviewJson.Serialize(review)) == 1;

    public async Task<Review?> GetReviewAsync(string id) => (await QueryReviewsAsync("WHERE id = $1", id)).SingleOrDefault();

    public Task<IReadOnlyList<Review>> ListReviewsAsync(string? loop, bool pendingOnly)
    {
        var pending = pendingOnly ? "state = 'Pending'" : null;
        return loop is null
            ? QueryReviewsAsync(pending is null ? "" : $"WHERE {pending}", null)
            : QueryReviewsAsync(pending is null ? "WHERE loop = $1" : $"WHERE loop = $1 AND {pending}", loop);
    }

    public Task<Review?> GetLatestReviewAsync(string loop, int branch) => ReadAsync(async c =>
    {
        await using var cmd = new NpgsqlCommand("SELECT json FROM mimicry_reviews WHERE loop = $1 AND branch = $2 ORDER BY day DESC, attempt DESC LIMIT 1", c);
        cmd.Parameters.AddWithValue(loop);
        cmd.Parameters.AddWithValue(branch);
        return await cmd.ExecuteScalarAsync() is string json ? ReviewJson.Deserialize(json) : null;
    });

    private Task<IReadOnlyList<Review>> QueryReviewsAsync(string where, string? parameter) => ReadAsync<IReadOnlyList<Review>>(async c =>
    {
        await using var cmd = new NpgsqlCommand($"SELECT json FROM mimicry_reviews {where} ORDER BY created, id", c);
        if (parameter is not null)
        {
            cmd.Parameters.AddWithValue(parameter);
        }
        await using var r = await cmd.ExecuteReaderAsync();
        var list = new List<Review>();
        while (await r.ReadAsync())
        {
            list.Add(ReviewJson.Deserialize(r.GetString(0)));
        }
        return list;
    });

    public async Task<bool> UpdateReviewAsync(Review review, ReviewState expected) => await _writer.Enqueue(
        "WITH u AS (UPDATE mimicry_reviews SET state = $2, json = $3 WHERE id = $1 AND state = $4 RETURNING 1) SELECT count(*) FROM u",
        review.Id, review.State.ToString(), ReviewJson.Serialize(review), expected.ToString()) == 1;
}
