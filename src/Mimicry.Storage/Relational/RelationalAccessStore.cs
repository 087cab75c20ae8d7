using System.Data.Common;
using Mimicry.Storage.Access;

namespace Mimicry.Storage.Relational;

/// <summary>
/// Users, tokens and the audit log over any relational database: one set of queries, with <see cref="SqlDialect"/>
/// for table names and time columns. Low volume, so each call is its own statement; a database's store gives how
/// a call gets its connection (and what it does with the database's errors).
/// </summary>
public abstract class RelationalAccessStore(SqlDialect dialect) : IAccessStore
{
    private readonly string _users = dialect.Table("users");
    private readonly string _tokens = dialect.Table("tokens");
    private readonly string _audit = dialect.Table("audit");

    /// <summary>Runs <paramref name="work"/> on an open connection of its own.</summary>
    protected abstract Task<T> RunAsync<T>(Func<DbConnection, Task<T>> work);

    public Task<UserRecord?> GetUserAsync(string name) => RunAsync(async c =>
    {
        await using var cmd = Command(c, $"SELECT name, role, created, created_by FROM {_users} WHERE name = @name", ("name", name));
        return await DbCommands.FirstOrDefaultAsync(cmd, ReadUser);
    });

    public Task<IReadOnlyList<UserRecord>> ListUsersAsync() => RunAsync<IReadOnlyList<UserRecord>>(async c =>
    {
        await using var cmd = Command(c, $"SELECT name, role, created, created_by FROM {_users} ORDER BY name");
        return await DbCommands.ListAsync(cmd, r => ReadUser(r));
    });

    public Task<bool> AddUserAsync(UserRecord user) => RunAsync(async c =>
    {
        await using var cmd = Command(c, $"INSERT INTO {_users}(name, role, created, created_by) VALUES (@name, @role, @created, @by) ON CONFLICT(name) DO NOTHING",
            ("name", user.Name), ("role", user.Role), ("created", dialect.Time(user.Created)), ("by", user.CreatedBy));
        return await cmd.ExecuteNonQueryAsync() == 1;
    });

    public Task<bool> RemoveUserAsync(string name, DateTimeOffset at) => RunAsync(async c =>
    {
        await using var tx = await c.BeginTransactionAsync();
        await using (var revoke = Command(c, $"UPDATE {_tokens} SET revoked = @at WHERE \"user\" = @name AND revoked IS NULL", ("at", dialect.Time(at)), ("name", name)))
        {
            revoke.Transaction = tx;
            await revoke.ExecuteNonQueryAsync();
        }
        await using var delete = Command(c, $"DELETE FROM {_users} WHERE name = @name", ("name", name));
        delete.Transaction = tx;
        var removed = await delete.ExecuteNonQueryAsync() == 1;
        await tx.CommitAsync();
        return removed;
    });

    public Task AddTokenAsync(TokenRecord token) => RunAsync(async c =>
    {
        await using var cmd = Command(c, $"""
            INSERT INTO {_tokens}(id, "user", label, salt, hash, created, expires, revoked, created_by)
            VALUES (@id, @user, @label, @salt, @hash, @created, @expires, NULL, @by)
            """,
            ("id", token.Id), ("user", token.User), ("label", token.Label), ("salt", token.Salt), ("hash", token.Hash), ("created", dialect.Time(token.Created)),
            ("expires", token.Expires is { } e ? dialect.Time(e) : null), ("by", token.CreatedBy));
        return await cmd.ExecuteNonQueryAsync();
    });

    public Task<TokenRecord?> GetTokenAsync(string id) => RunAsync(async c =>
    {
        await using var cmd = Command(c, $"{SelectTokens} WHERE id = @id", ("id", id));
        return await DbCommands.FirstOrDefaultAsync(cmd, ReadToken);
    });

    public Task<IReadOnlyList<TokenRecord>> ListTokensAsync(string? user) => RunAsync<IReadOnlyList<TokenRecord>>(async c =>
    {
        await using var cmd = user is null
            ? Command(c, $"{SelectTokens} ORDER BY created DESC")
            : Command(c, $"{SelectTokens} WHERE \"user\" = @user ORDER BY created DESC", ("user", user));
        return await DbCommands.ListAsync(cmd, r => ReadToken(r));
    });

    public Task<bool> RevokeTokenAsync(string id, DateTimeOffset at) => RunAsync(async c =>
    {
        await using var cmd = Command(c, $"UPDATE {_tokens} SET revoked = @at WHERE id = @id AND revoked IS NULL", ("at", dialect.Time(at)), ("id", id));
        return await cmd.ExecuteNonQueryAsync() == 1;
    });

    public Task AppendAuditAsync(AuditRecord entry) => RunAsync(async c =>
    {
        await using var cmd = Command(c, $"INSERT INTO {_audit}(at, \"user\", action, target, outcome, detail, remote) VALUES (@at, @user, @action, @target, @outcome, @detail, @remote)",
            ("at", dialect.Time(entry.At)), ("user", entry.User), ("action", entry.Action), ("target", entry.Target), ("outcome", entry.Outcome), ("detail", entry.Detail), ("remote", entry.Remote));
        return await cmd.ExecuteNonQueryAsync();
    });

    public Task<IReadOnlyList<AuditRecord>> ListAuditAsync(int limit, long? before) => RunAsync<IReadOnlyList<AuditRecord>>(async c =>
    {
        await using var cmd = Command(c, $"SELECT seq, at, \"user\", action, target, outcome, detail, remote FROM {_audit} WHERE seq < @before ORDER BY seq DESC LIMIT @limit",
            ("before", before ?? long.MaxValue), ("limit", limit));
        return await DbCommands.ListAsync(cmd, r => new AuditRecord(r.GetInt64(0), dialect.ReadTime(r, 1), r.GetString(2), r.GetString(3), r.GetString(4), r.GetString(5),
                r.IsDBNull(6) ? null : r.GetString(6), r.IsDBNull(7) ? null : r.GetString(7)));
    });

    private string SelectTokens => $"SELECT id, \"user\", label, salt, hash, created, expires, revoked, created_by FROM {_tokens}";

    private UserRecord ReadUser(DbDataReader r) => new(r.GetString(0), r.GetString(1), dialect.ReadTime(r, 2), r.GetString(3));

    private TokenRecord ReadToken(DbDataReader r) => new(
        r.GetString(0), r.GetString(1), r.GetString(2), r.GetFieldValue<byte[]>(3), r.GetFieldValue<byte[]>(4), dialect.ReadTime(r, 5),
        r.IsDBNull(6) ? null : dialect.ReadTime(r, 6), r.IsDBNull(7) ? null : dialect.ReadTime(r, 7), r.GetString(8));

    private static DbCommand Command(DbConnection connection, string sql, params (string Name, object? Value)[] parameters) =>
        DbCommands.Create(connection, sql, parameters);
}
