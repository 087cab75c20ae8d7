using Mimicry.Storage.Access;

namespace Mimicry.Api.Auth;

/// <summary>Whether an API token signs someone in: it must exist, match, be neither revoked nor expired, and belong to a user who still exists.</summary>
public static class TokenCheck
{
    /// <returns>The user and token, or why not (for the log, never for the caller).</returns>
    public static async Task<(UserRecord? User, TokenRecord? Token, string? Refusal)> CheckAsync(IAccessStore access, string token, DateTimeOffset now)
    {
        if (ApiTokens.Parse(token) is not { } parsed)
        {
            return (null, null, "malformed token");
        }
        var record = await access.GetTokenAsync(parsed.Id);
        if (record is null || !ApiTokens.Matches(record, parsed.Secret))
        {
            return (null, null, "unknown token");
        }
        if (record.Revoked is not null)
        {
            return (null, null, "revoked token");
        }
        if (record.Expires is { } expires && expires <= now)
        {
            return (null, null, "expired token");
        }
        return await access.GetUserAsync(record.User) is { } user ? (user, record, null) : (null, null, "the token's user was removed");
    }
}
