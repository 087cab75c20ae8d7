using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Mimicry.Storage.Access;

namespace Mimicry.Api.Auth;

/// <summary>
/// Signs a request in by its <c>Authorization: Bearer mim_…</c> token, or else by the web UI's session cookie (a token
/// too, see <see cref="WebSessions"/>): the token must exist, match, be neither revoked nor expired, and belong to a
/// user who still exists; the user's role becomes the request's role. Checked on every request, so a revocation
/// takes effect at once.
/// </summary>
public sealed class ApiTokenHandler(IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder, IAccessStore access, TimeProvider time)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "MimicryToken";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        // One rule for which token a request presents, shared with the scheme selector: the header's, else the cookie's.
        var token = WebSessions.PresentedToken(Request);
        var viaCookie = token is not null && Request.Headers.Authorization.Count == 0;
        if (token is null)
        {
            return AuthenticateResult.NoResult();
        }
        var (user, record, refusal) = await TokenCheck.CheckAsync(access, token, time.GetUtcNow());
        if (refusal is not null)
        {
            return AuthenticateResult.Fail(refusal);
        }
        List<Claim> claims = [new Claim(ClaimTypes.Name, user!.Name), new Claim(ClaimTypes.Role, user.Role), new Claim("mimicry:token", record!.Id)];
        if (viaCookie)
        {
            claims.Add(new Claim(WebSessions.ViaClaim, WebSessions.ViaCookie));
        }
        var identity = new ClaimsIdentity(claims, SchemeName, ClaimTypes.Name, ClaimTypes.Role);
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName));
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        Response.Headers.WWWAuthenticate = "Bearer";
        return Problems.Write(Context, 401, "Not signed in", "send a valid API token or OIDC access token in 'Authorization: Bearer …' (the web UI: sign in again)");
    }

    protected override Task HandleForbiddenAsync(AuthenticationProperties properties) =>
        Problems.Write(Context, 403, "Forbidden", "your role does not allow this");

    /// <summary>The token of an <c>Authorization: Bearer …</c> header, or null.</summary>
    public static string? BearerToken(string header) =>
        header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) && header.Length > 7 ? header[7..].Trim() : null;
}
