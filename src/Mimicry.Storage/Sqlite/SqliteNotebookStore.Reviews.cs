using Mimicry.Status;

namespace Mimicry.Storage.Sqlite;

/// <summary>Reviews in the embedded store: the record as JSON; loop, branch, day, attempt and state as columns.</summary>
public sealed partial class SqliteNotebookStore
{
    public Task<bool> AddReviewAsync(Review review) => _writer.Enqueue(cache =>
    {
        var cmd = cache.Get(
            "INSERT INTO reviews(id, loop, branch, day, attempt, state, created, json) VALUES($id, $loop, $branch, $day, $attempt, $state, $created, $json) ON CONFLICT DO NOTHING",
            "$id", "$loop", "$branch", "$day", "$attempt", "$state", "$created", "$json");
        cmd.Parameters["$id"].Value = review.Id;
        cmd.Parameters["$loop"].Value = review.Loop;
        cmd.Parameters["$branch"].Value = review.Branch;
        cmd.Parameters["$day"].Value = review.Day;
        cmd.Parameters["$attempt"].Value = review.Attempt;
        cmd.Parameters["$state"].Value = review.State.ToString();
        cmd.Parameters["$created"].Value = Iso(review.Created);
        cmd.Parameters["$json"].Value = ReviewJson.Serialize(review);
        return cmd.ExecuteNonQuery() == 1;
    });

    public async Task<Review?> GetReviewAsync(string id) => (await QueryReviewsAsync("WHERE id = $p", id)).SingleOrDefault();

    public Task<IReadOnlyList<Review>> ListReviewsAsync(string? loop, bool pendingOnly)
    {
        var pending = pendingOnly ? "state = 'Pending'" : null;
        return loop is null
            ? QueryReviewsAsync(pending is null ? "" : $"WHERE {pending}", null)
            : QueryReviewsAsync(pending is null ? "WHERE loop = $p" : $"WHERE loop = $p AND {pending}", loop);
    }

    public Task<Review?> GetLatestReviewAsync(string loop, int branch) => ReadAsync(c =>
    {
        using var cmd = c.CreateCommand();
        cmd.CommandText = "SELECT json FROM reviews WHERE loop = $loop AND branch = $branch ORDER BY day DESC, attempt DESC LIMIT 1";
        cmd.Parameters.AddWithValue("$loop", loop);
        cmd.Parameters.AddWithValue("$branch", branch);
        return cmd.ExecuteScalar() is string json ? ReviewJson.Deserialize(json) : null;
    });

    private Task<IReadOnlyList<Review>> QueryReviewsAsync(string where, string? parameter) => ReadAsync<IReadOnlyList<Review>>(c =>
    {
        using var cmd = c.CreateCommand();
        cmd.CommandText = $"SELECT json FROM reviews {where} ORDER BY created, id";
        if (parameter is not null)
        {
            cmd.Parameters.AddWithValue("$p", parameter);
        }
        using var r = cmd.ExecuteReader();
        var list = new List<Review>();
        while (r.Read())
        {
            list.Add(ReviewJson.Deserialize(r.GetString(0)));
        }
        return list;
    });

    public Task<bool> UpdateReviewAsync(Review review, ReviewState expected) => _writer.Enqueue(cache =>
    {
        var cmd = cache.Get("UPDATE reviews SET state = $state, json = $json WHERE id = $id AND state = $expected", "$state", "$json", "$id", "$expected");
        cmd.Parameters["$state"].Value = review.State.ToString();
        cmd.Parameters["$json"].Value = ReviewJson.Serialize(review);
        cmd.Parameters["$id"].Value = review.Id;
        cmd.Parameters["$expected"].Value = expected.ToString();
        return cmd.ExecuteNonQuery() == 1;
    });
}
