using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Mimicry.Api.Auth;
using Mimicry.Client;
using Mimicry.Storage.Access;

namespace Mimicry.Api.Endpoints;

/// <summary>
/// The web UI's sign-in and sign-out (<see cref="WebSessions"/>). Signing in takes a JSON body only, so a form on
/// another site cannot sign a browser in (its cross-site JSON request would need a CORS preflight we never grant).
/// </summary>
internal static class SessionEndpoints
{
    public static void MapSessions(this RouteGroupBuilder api)
    {
        api.MapPost("/session", SignInAsync).AllowAnonymous()
            // No Accepts metadata: with it, a non-JSON post would match no endpoint and get the fallback's 401 instead of a clear 415.
            .WithSummary("Sign a browser in with an API token, sent as JSON {\"token\": \"mim_…\"}: sets an HttpOnly session cookie; the answer carries the CSRF token its changes must send")
            .Produces<SessionView>().ProducesProblem(400).ProducesProblem(401).ProducesProblem(415);
        // Anonymous, so a page can ask whether it is signed in without an error in the browser's console: 204 if not.
        api.MapGet("/session", (HttpContext c) => c.User.Identity?.IsAuthenticated == true ? Results.Json(View(c, null), MimicryJson.Options) : Results.NoContent())
            .AllowAnonymous().WithSummary("The signed-in browser's session and CSRF token (204: not signed in)").Produces<SessionView>().Produces(204);
        api.MapDelete("/session", SignOutAsync).WithSummary("Sign the browser out: its session token is revoked (an OIDC session's cookie is cleared)").Produces(204);
    }

    private static SessionView View(HttpContext c, DateTimeOffset? expires) => new(
        Caller.Name(c.User), Roles.All.Where(c.User.IsInRole).ToList(), expires,
        c.Request.Cookies[WebSessions.Cookie] is { Length: > 0 } cookie && c.User.HasClaim(WebSessions.ViaClaim, WebSessions.ViaCookie) ? WebSessions.Csrf(cookie) : null);

    /// <summary>
    /// An organization's OIDC access token: validated by the JWT handler exactly as in an Authorization header, then
    /// kept as the session cookie itself (it cannot be revoked here, so the session ends when the token expires).
    /// </summary>
    private static async Task<IResult> SignInWithOidcAsync(HttpContext context, string jwt, Audit audit)
    {
        context.Request.Headers.Authorization = "Bearer " + jwt;
        var result = await context.AuthenticateAsync(JwtBearerDefaults.AuthenticationScheme);
        context.Request.Headers.Remove("Authorization");
        if (!result.Succeeded || result.Principal?.Identity?.Name is not { Length: > 0 } name)
        {
            await audit.RecordAsync(context, "session.signin", "web", "refused (401)", "OIDC token not valid");
            return Problems.Result(401, "Not signed in", "that token does not sign anyone in (unknown, revoked or expired)");
        }
        var expires = result.Properties?.ExpiresUtc ?? new Microsoft.IdentityModel.JsonWebTokens.JsonWebToken(jwt).ValidTo;
        context.Response.Cookies.Append(WebSessions.Cookie, jwt, WebSessions.CookieOptions(context.Request, expires));
        await audit.RecordAsync(context, "session.signin", "web", "ok", $"as {name}, OIDC");
        return Results.Json(new SessionView(name, Roles.All.Where(result.Principal.IsInRole).ToList(), expires, WebSessions.Csrf(jwt)), MimicryJson.Options);
    }

    private static async Task<IResult> SignInAsync(HttpContext context, IAccessStore access, Audit audit, TimeProvider time, ApiOptions options)
    {
        var (body, problem) = await Bodies.JsonAsync<SignInRequest>(context.Request);
        if (problem is not null)
        {
            return problem;
        }
        if (string.IsNullOrWhiteSpace(body!.Token))
        {
            return Problems.BadRequest("the sign-in is not valid", ["token: is required (an API token, mim_…)"]);
        }
        var now = time.GetUtcNow();
        var presented = body.Token.Trim();
        if (!presented.StartsWith(ApiTokens.Prefix, StringComparison.Ordinal) && options.Oidc.Enabled)
        {
            return await SignInWithOidcAsync(context, presented, audit);
        }
        var (user, token, refusal) = await TokenCheck.CheckAsync(access, presented, now);
        if (refusal is not null)
        {
            await audit.RecordAsync(context, "session.signin", "web", "refused (401)", refusal);
            return Problems.Result(401, "Not signed in", "that token does not sign anyone in (unknown, revoked or expired)");
        }
        // The session never outlives the token it was made from.
        var expires = token!.Expires is { } e && e < now + WebSessions.Lifetime ? e : now + WebSessions.Lifetime;
        var (record, session) = ApiTokens.Create(user!.Name, WebSessions.Label, now, expires, user.Name);
        await access.AddTokenAsync(record);
        context.Response.Cookies.Append(WebSessions.Cookie, session, WebSessions.CookieOptions(context.Request, expires));
        await audit.RecordAsync(context, "session.signin", "web", "ok", $"as {user.Name}, session {record.Id}");
        return Results.Json(new SessionView(user.Name, [user.Role], expires, WebSessions.Csrf(session)), MimicryJson.Options);
    }

    private static async Task<IResult> SignOutAsync(HttpContext context, IAccessStore access, Audit audit, TimeProvider time)
    {
        if (context.User.HasClaim(WebSessions.ViaClaim, WebSessions.ViaCookie) && context.User.FindFirst("mimicry:token")?.Value is { } id)
        {
            await access.RevokeTokenAsync(id, time.GetUtcNow());
            await audit.RecordAsync(context, "session.signout", "web", "ok", $"session {id}");
        }
        else if (context.User.HasClaim(WebSessions.ViaClaim, WebSessions.ViaCookie))
        {
            await audit.RecordAsync(context, "session.signout", "web", "ok", "OIDC session (the cookie is cleared; the provider's token lives until it expires)");
        }
        context.Response.Cookies.Delete(WebSessions.Cookie, WebSessions.CookieOptions(context.Request, DateTimeOffset.UnixEpoch));
        return Results.NoContent();
    }
}
