using Mimicry.Storage.Access;
using Npgsql;

namespace Mimicry.Storage.Postgres;

/// <summary>Users, tokens and the audit log in the cluster's database. Low volume: each call is one statement, retried through outages.</summary>
internal sealed class PostgresAccessStore(NpgsqlDataSource db, PostgresRetry retry) : IAccessStore
{
    public Task<UserRecord?> GetUserAsync(string name) => RunAsync(async c =>
    {
        await using var cmd = Command(c, "SELECT name, role, created, created_by FROM mimicry_users WHERE name = $1", name);
        await using var r = await cmd.ExecuteReaderAsync();
        return await r.ReadAsync() ? ReadUser(r) : null;
    });

    public Task<IReadOnlyList<UserRecord>> ListUsersAsync() => RunAsync<IReadOnlyList<UserRecord>>(async c =>
    {
        await using var cmd = Command(c, "SELECT name, role, created, created_by FROM mimicry_users ORDER BY name");
        await using var r = await cmd.ExecuteReaderAsync();
        var list = new List<UserRecord>();
        while (await r.ReadAsync())
        {
            list.Add(ReadUser(r));
        }
        return list;
    });

    public Task<bool> AddUserAsync(UserRecord user) => RunAsync(async c =>
    {
        await using var cmd = Command(c, "INSERT INTO mimicry_users(name, role, created, created_by) VALUES ($1, $2, $3, $4) ON CONFLICT (name) DO NOTHING",
            user.Name, user.Role, user.Created, user.CreatedBy);
        return await cmd.ExecuteNonQueryAsync() == 1;
    });

    public Task<bool> RemoveUserAsync(string name, DateTimeOffset at) => RunAsync(async c =>
    {
        await using var tx = await c.BeginTransactionAsync();
        await using (var revoke = Command(c, "UPDATE mimicry_tokens SET revoked = $1 WHERE \"user\" = $2 AND revoked IS NULL", at, name))
        {
            revoke.Transaction = tx;
            await revoke.ExecuteNonQueryAsync();
        }
        await using var delete = Command(c, "DELETE FROM mimicry_users WHERE name = $1", name);
        delete.Transaction = tx;
        var removed = await delete.ExecuteNonQueryAsync() == 1;
        await tx.CommitAsync();
        return removed;
    });

    public Task AddTokenAsync(TokenRecord t) => RunAsync(async c =>
    {
        await using var cmd = Command(c, """
            INSERT INTO mimicry_tokens(id, "user", label, salt, hash, created, expires, revoked, created_by)
            VALUES ($1, $2, $3, $4, $5, $6, $7, NULL, $8)
            """, t.Id, t.User, t.Label, t.Salt, t.Hash, t.Created, t.Expires, t.CreatedBy);
        return await cmd.ExecuteNonQueryAsync();
    });

    public Task<TokenRecord?> GetTokenAsync(string id) => RunAsync(async c =>
    {
        await using var cmd = Command(c, $"{SelectTokens} WHERE id = $1", id);
        await using var r = await cmd.ExecuteReaderAsync();
        return await r.ReadAsync() ? ReadToken(r) : null;
    });

    public Task<IReadOnlyList<TokenRecord>> ListTokensAsync(string? user) => RunAsync<IReadOnlyList<TokenRecord>>(async c =>
    {
        await using var cmd = user is null
            ? Command(c, $"{SelectTokens} ORDER BY created DESC")
            : Command(c, $"{SelectTokens} WHERE \"user\" = $1 ORDER BY created DESC", user);
        await using var r = await cmd.ExecuteReaderAsync();
        var list = new List<TokenRecord>();
        while (await r.ReadAsync())
        {
            list.Add(ReadToken(r));
        }
        return list;
    });

    public Task<bool> RevokeTokenAsync(string id, DateTimeOffset at) => RunAsync(async c =>
    {
        await using var cmd = Command(c, "UPDATE mimicry_tokens SET revoked = $1 WHERE id = $2 AND revoked IS NULL", at, id);
        return await cmd.ExecuteNonQueryAsync() == 1;
    });

    public Task AppendAuditAsync(AuditRecord e) => RunAsync(async c =>
    {
        await using var cmd = Command(c, "INSERT INTO mimicry_audit(at, \"user\", action, target, outcome, detail, remote) VALUES ($1, $2, $3, $4, $5, $6, $7)",
            e.At, e.User, e.Action, e.Target, e.Outcome, e.Detail, e.Remote);
        return await cmd.ExecuteNonQueryAsync();
    });

    public Task<IReadOnlyList<AuditRecord>> ListAuditAsync(int limit, long? before) => RunAsync<IReadOnlyList<AuditRecord>>(async c =>
    {
        await using var cmd = Command(c, "SELECT seq, at, \"user\", action, target, outcome, detail, remote FROM mimicry_audit WHERE seq < $1 ORDER BY seq DESC LIMIT $2",
            before ?? long.MaxValue, limit);
        await using var r = await cmd.ExecuteReaderAsync();
        var list = new List<AuditRecord>();
        while (await r.ReadAsync())
        {
            list.Add(new AuditRecord(r.GetInt64(0), r.GetFieldValue<DateTimeOffset>(1), r.GetString(2), r.GetString(3), r.GetString(4), r.GetString(5),
                r.IsDBNull(6) ? null : r.GetString(6), r.IsDBNull(7) ? null : r.GetString(7)));
        }
        return list;
    });

    private const string SelectTokens = "SELECT id, \"user\", label, salt, hash, created, expires, revoked, created_by FROM mimicry_tokens";

    private static UserRecord ReadUser(NpgsqlDataReader r) => new(r.GetString(0), r.GetString(1), r.GetFieldValue<DateTimeOffset>(2), r.GetString(3));

    private static TokenRecord ReadToken(NpgsqlDataReader r) => new(
        r.GetString(0), r.GetString(1), r.GetString(2), r.GetFieldValue<byte[]>(3), r.GetFieldValue<byte[]>(4), r.GetFieldValue<DateTimeOffset>(5),
        r.IsDBNull(6) ? null : r.GetFieldValue<DateTimeOffset>(6), r.IsDBNull(7) ? null : r.GetFieldValue<DateTimeOffset>(7), r.GetString(8));

    private static NpgsqlCommand Command(NpgsqlConnection c, string sql, params object?[] parameters)
    {
        var cmd = new NpgsqlCommand(sql, c);
        foreach (var p in parameters)
        {
            cmd.Parameters.Add(p switch
            {
                null => new NpgsqlParameter { Value = DBNull.Value },
                DateTimeOffset t => new NpgsqlParameter { Value = t.ToUniversalTime() },
                _ => new NpgsqlParameter { Value = p },
            });
        }
        return cmd;
    }

    private Task<T> RunAsync<T>(Func<NpgsqlConnection, Task<T>> work) => retry.RunAsync(async () =>
    {
        await using var c = await db.OpenConnectionAsync();
        return await work(c);
    });
}
