using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Mimicry.Storage.Access;

namespace Mimicry.Api.Auth;

/// <summary>
/// Signs a request in by its <c>Authorization: Bearer mim_…</c> token: the token must exist, match, be neither revoked
/// nor expired, and belong to a user who still exists; the user's role becomes the request's role. Checked on every
/// request, so a revocation takes effect at once.
/// </summary>
public sealed class ApiTokenHandler(IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder, IAccessStore access, TimeProvider time)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "MimicryToken";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (BearerToken(Request.Headers.Authorization.ToString()) is not { } token)
        {
            return AuthenticateResult.NoResult();
        }
        if (ApiTokens.Parse(token) is not { } parsed)
        {
            return AuthenticateResult.Fail("malformed token");
        }
        var record = await access.GetTokenAsync(parsed.Id);
        if (record is null || !ApiTokens.Matches(record, parsed.Secret))
        {
            return AuthenticateResult.Fail("unknown token");
        }
        if (record.Revoked is not null)
        {
            return AuthenticateResult.Fail("revoked token");
        }
        if (record.Expires is { } expires && expires <= time.GetUtcNow())
        {
            return AuthenticateResult.Fail("expired token");
        }
        if (await access.GetUserAsync(record.User) is not { } user)
        {
            return AuthenticateResult.Fail("the token's user was removed");
        }
        var identity = new ClaimsIdentity(
            [new Claim(ClaimTypes.Name, user.Name), new Claim(ClaimTypes.Role, user.Role), new Claim("mimicry:token", record.Id)], SchemeName, ClaimTypes.Name, ClaimTypes.Role);
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName));
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        Response.Headers.WWWAuthenticate = "Bearer";
        return Problems.Write(Context, 401, "Not signed in", "send a valid API token or OIDC access token in 'Authorization: Bearer …'");
    }

    protected override Task HandleForbiddenAsync(AuthenticationProperties properties) =>
        Problems.Write(Context, 403, "Forbidden", "your role does not allow this");

    /// <summary>The token of an <c>Authorization: Bearer …</c> header, or null.</summary>
    public static string? BearerToken(string header) =>
        header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) && header.Length > 7 ? header[7..].Trim() : null;
}
