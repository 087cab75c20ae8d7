using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;

namespace Mimicry.Api.Auth;

/// <summary>
/// The browser's sign-in: a short-lived API token of its own in an HttpOnly, SameSite=Strict cookie (Secure under TLS),
/// made when someone signs in with their token and revoked when they sign out. A state-changing request carried
/// by that cookie must also carry <see cref="CsrfHeader"/>, derived from the cookie: another site can make the
/// browser send the cookie, but cannot read the value to put in the header. Requests with an Authorization header
/// (the CLI, scripts) carry no ambient credential and need no CSRF token.
/// </summary>
public static class WebSessions
{
    public const string Cookie = "mimicry_session";
    public const string CsrfHeader = "X-Mimicry-CSRF";
    public const string ViaClaim = "mimicry:via";
    public const string ViaCookie = "cookie";
    public const string Label = "web session";
    public static readonly TimeSpan Lifetime = TimeSpan.FromHours(12);

    /// <summary>The token a request presents: its Authorization header's, else (with no header at all) the session cookie's.</summary>
    public static string? PresentedToken(HttpRequest request)
    {
        var header = request.Headers.Authorization.ToString();
        if (header.Length > 0)
        {
            return ApiTokenHandler.BearerToken(header);
        }
        return request.Cookies[Cookie] is { Length: > 0 } cookie ? cookie : null;
    }

    /// <summary>The CSRF token of a session: a hash of its secret cookie value, so the server keeps nothing for it.</summary>
    public static string Csrf(string sessionToken) =>
        Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes("mimicry-csrf\n" + sessionToken))).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    public static CookieOptions CookieOptions(HttpRequest request, DateTimeOffset expires) => new()
    {
        HttpOnly = true,
        Secure = request.IsHttps,
        SameSite = SameSiteMode.Strict,
        Path = "/",
        Expires = expires,
        IsEssential = true,
    };

    /// <summary>Whether the request is signed in by the session cookie and would change state: then it needs the CSRF header.</summary>
    public static bool NeedsCsrf(HttpContext context) =>
        !HttpMethods.IsGet(context.Request.Method) && !HttpMethods.IsHead(context.Request.Method) && !HttpMethods.IsOptions(context.Request.Method)
        && context.User.HasClaim(ViaClaim, ViaCookie);

    public static bool CsrfMatches(HttpContext context) =>
        context.Request.Cookies[Cookie] is { Length: > 0 } cookie
        && context.Request.Headers[CsrfHeader].ToString() is { Length: > 0 } sent
        && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(sent), Encoding.UTF8.GetBytes(Csrf(cookie)));
}
