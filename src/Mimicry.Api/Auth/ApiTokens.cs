using System.Security.Cryptography;
using System.Text;
using Mimicry.Storage.Access;

namespace Mimicry.Api.Auth;

/// <summary>
/// API tokens read <c>mim_ID_SECRET</c>: the id finds the stored row, the secret (256 random bits) is checked against
/// its salted SHA-256 in constant time. The secret exists only in the caller's hands; the store never holds it.
/// </summary>
public static class ApiTokens
{
    public const string Prefix = "mim_";

    public static (TokenRecord Record, string Token) Create(string user, string label, DateTimeOffset now, DateTimeOffset? expires, string createdBy)
    {
        var id = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8));
        var secret = Base64Url(RandomNumberGenerator.GetBytes(32));
        var salt = RandomNumberGenerator.GetBytes(16);
        return (new TokenRecord(id, user, label, salt, Hash(salt, secret), now, expires, null, createdBy), $"{Prefix}{id}_{secret}");
    }

    /// <summary>The id and secret of a well-formed token, or null.</summary>
    public static (string Id, string Secret)? Parse(string token)
    {
        if (!token.StartsWith(Prefix, StringComparison.Ordinal) || token.Length > 200)
        {
            return null;
        }
        var rest = token[Prefix.Length..];
        var cut = rest.IndexOf('_', StringComparison.Ordinal);
        if (cut != 16 || rest.Length - cut - 1 < 20 || !rest[..cut].All(char.IsAsciiHexDigitLower))
        {
            return null;
        }
        return (rest[..cut], rest[(cut + 1)..]);
    }

    public static bool Matches(TokenRecord record, string secret) =>
        CryptographicOperations.FixedTimeEquals(record.Hash, Hash(record.Salt, secret));

    private static byte[] Hash(byte[] salt, string secret)
    {
        var bytes = Encoding.UTF8.GetBytes(secret);
        var input = new byte[salt.Length + bytes.Length];
        salt.CopyTo(input, 0);
        bytes.CopyTo(input, salt.Length);
        return SHA256.HashData(input);
    }

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
