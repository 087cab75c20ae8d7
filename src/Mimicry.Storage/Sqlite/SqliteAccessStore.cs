using Microsoft.Data.Sqlite;
using Mimicry.Storage.Access;

namespace Mimicry.Storage.Sqlite;

/// <summary>Users, tokens and the audit log in the data folder's SQLite file. Low volume: each call is its own statement.</summary>
internal sealed class SqliteAccessStore(string connectionString) : IAccessStore
{
    public Task<UserRecord?> GetUserAsync(string name) => RunAsync(c =>
    {
        using var cmd = Command(c, "SELECT name, role, created, created_by FROM users WHERE name = $name", ("$name", name));
        using var r = cmd.ExecuteReader();
        return r.Read() ? ReadUser(r) : null;
    });

    public Task<IReadOnlyList<UserRecord>> ListUsersAsync() => RunAsync<IReadOnlyList<UserRecord>>(c =>
    {
        using var cmd = Command(c, "SELECT name, role, created, created_by FROM users ORDER BY name");
        using var r = cmd.ExecuteReader();
        var list = new List<UserRecord>();
        while (r.Read())
        {
            list.Add(ReadUser(r));
        }
        return list;
    });

    public Task<bool> AddUserAsync(UserRecord user) => RunAsync(c =>
    {
        using var cmd = Command(c, "INSERT INTO users(name, role, created, created_by) VALUES ($name, $role, $created, $by) ON CONFLICT(name) DO NOTHING",
            ("$name", user.Name), ("$role", user.Role), ("$created", StoreTime.Format(user.Created)), ("$by", user.CreatedBy));
        return cmd.ExecuteNonQuery() == 1;
    });

    public Task<bool> RemoveUserAsync(string name, DateTimeOffset at) => RunAsync(c =>
    {
        using var tx = c.BeginTransaction();
        using var revoke = Command(c, "UPDATE tokens SET revoked = $at WHERE user = $name AND revoked IS NULL", ("$at", StoreTime.Format(at)), ("$name", name));
        revoke.Transaction = tx;
        revoke.ExecuteNonQuery();
        using var delete = Command(c, "DELETE FROM users WHERE name = $name", ("$name", name));
        delete.Transaction = tx;
        var removed = delete.ExecuteNonQuery() == 1;
        tx.Commit();
        return removed;
    });

    public Task AddTokenAsync(TokenRecord t) => RunAsync(c =>
    {
        using var cmd = Command(c, """
            INSERT INTO tokens(id, user, label, salt, hash, created, expires, revoked, created_by)
            VALUES ($id, $user, $label, $salt, $hash, $created, $expires, NULL, $by)
            """,
            ("$id", t.Id), ("$user", t.User), ("$label", t.Label), ("$salt", t.Salt), ("$hash", t.Hash), ("$created", StoreTime.Format(t.Created)),
            ("$expires", t.Expires is { } e ? StoreTime.Format(e) : null), ("$by", t.CreatedBy));
        return cmd.ExecuteNonQuery();
    });

    public Task<TokenRecord?> GetTokenAsync(string id) => RunAsync(c =>
    {
        using var cmd = Command(c, $"{SelectTokens} WHERE id = $id", ("$id", id));
        using var r = cmd.ExecuteReader();
        return r.Read() ? ReadToken(r) : null;
    });

    public Task<IReadOnlyList<TokenRecord>> ListTokensAsync(string? user) => RunAsync<IReadOnlyList<TokenRecord>>(c =>
    {
        using var cmd = user is null
            ? Command(c, $"{SelectTokens} ORDER BY created DESC")
            : Command(c, $"{SelectTokens} WHERE user = $user ORDER BY created DESC", ("$user", user));
        using var r = cmd.ExecuteReader();
        var list = new List<TokenRecord>();
        while (r.Read())
        {
            list.Add(ReadToken(r));
        }
        return list;
    });

    public Task<bool> RevokeTokenAsync(string id, DateTimeOffset at) => RunAsync(c =>
    {
        using var cmd = Command(c, "UPDATE tokens SET revoked = $at WHERE id = $id AND revoked IS NULL", ("$at", StoreTime.Format(at)), ("$id", id));
        return cmd.ExecuteNonQuery() == 1;
    });

    public Task AppendAuditAsync(AuditRecord e) => RunAsync(c =>
    {
        using var cmd = Command(c, "INSERT INTO audit(at, user, action, target, outcome, detail, remote) VALUES ($at, $user, $action, $target, $outcome, $detail, $remote)",
            ("$at", StoreTime.Format(e.At)), ("$user", e.User), ("$action", e.Action), ("$target", e.Target), ("$outcome", e.Outcome), ("$detail", e.Detail), ("$remote", e.Remote));
        return cmd.ExecuteNonQuery();
    });

    public Task<IReadOnlyList<AuditRecord>> ListAuditAsync(int limit, long? before) => RunAsync<IReadOnlyList<AuditRecord>>(c =>
    {
        using var cmd = Command(c, "SELECT seq, at, user, action, target, outcome, detail, remote FROM audit WHERE seq < $before ORDER BY seq DESC LIMIT $limit",
            ("$before", before ?? long.MaxValue), ("$limit", limit));
        using var r = cmd.ExecuteReader();
        var list = new List<AuditRecord>();
        while (r.Read())
        {
            list.Add(new AuditRecord(r.GetInt64(0), StoreTime.Parse(r.GetString(1)), r.GetString(2), r.GetString(3), r.GetString(4), r.GetString(5),
                r.IsDBNull(6) ? null : r.GetString(6), r.IsDBNull(7) ? null : r.GetString(7)));
        }
        return list;
    });

    private const string SelectTokens = "SELECT id, user, label, salt, hash, created, expires, revoked, created_by FROM tokens";

    private static UserRecord ReadUser(SqliteDataReader r) => new(r.GetString(0), r.GetString(1), StoreTime.Parse(r.GetString(2)), r.GetString(3));

    private static TokenRecord ReadToken(SqliteDataReader r) => new(
        r.GetString(0), r.GetString(1), r.GetString(2), (byte[])r[3], (byte[])r[4], StoreTime.Parse(r.GetString(5)),
        r.IsDBNull(6) ? null : StoreTime.Parse(r.GetString(6)), r.IsDBNull(7) ? null : StoreTime.Parse(r.GetString(7)), r.GetString(8));

    private static SqliteCommand Command(SqliteConnection c, string sql, params (string Name, object? Value)[] parameters)
    {
        var cmd = c.CreateCommand();
        cmd.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            cmd.Parameters.AddWithValue(name, value ?? DBNull.Value);
        }
        return cmd;
    }

    private Task<T> RunAsync<T>(Func<SqliteConnection, T> work) => Task.Run(() =>
    {
        try
        {
            using var c = new SqliteConnection(connectionString);
            c.Open();
            return work(c);
        }
        catch (SqliteException ex)
        {
            throw new StoreException($"the access store failed: {ex.Message}", ex);
        }
    });
}
