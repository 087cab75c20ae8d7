namespace Mimicry.Storage.Access;

/// <summary>
/// Who may call the API (users, their tokens) and what they did (the audit log). Kept apart from the notebook
/// store: a different concern, written only by the API host, read on every request.
/// </summary>
public interface IAccessStore
{
    Task<UserRecord?> GetUserAsync(string name);

    Task<IReadOnlyList<UserRecord>> ListUsersAsync();

    /// <summary>Adds a user. Returns false (writing nothing) if the name is taken.</summary>
    Task<bool> AddUserAsync(UserRecord user);

    /// <summary>Removes a user and revokes its tokens. Returns false if there was no such user.</summary>
    Task<bool> RemoveUserAsync(string name, DateTimeOffset at);

    Task AddTokenAsync(TokenRecord token);

    Task<TokenRecord?> GetTokenAsync(string id);

    /// <summary>Tokens of one user (or all), newest first.</summary>
    Task<IReadOnlyList<TokenRecord>> ListTokensAsync(string? user);

    /// <summary>Revokes a token. Returns false if there was no such token or it was already revoked.</summary>
    Task<bool> RevokeTokenAsync(string id, DateTimeOffset at);

    Task AppendAuditAsync(AuditRecord entry);

    /// <summary>The latest <paramref name="limit"/> entries, newest first, older than <paramref name="before"/> if given.</summary>
    Task<IReadOnlyList<AuditRecord>> ListAuditAsync(int limit, long? before);
}
