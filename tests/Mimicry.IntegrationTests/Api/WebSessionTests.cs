using System.Net;
using System.Text;
using System.Text.Json;
using Mimicry.Api.Auth;

namespace Mimicry.IntegrationTests.Api;

/// <summary>
/// The web UI's sign-in over plain HTTP, as an attacker would poke at it: a bad token signs nobody in, only JSON is
/// taken, the cookie is HttpOnly and SameSite=Strict, a change carried by the cookie needs the CSRF header, the
/// cookie grants only its user's role, and signing out revokes it.
/// </summary>
public sealed class WebSessionTests : IAsyncLifetime
{
    private ApiServer _server = null!;

    public async Task InitializeAsync() => _server = await ApiServer.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private HttpClient Browser() => new(new HttpClientHandler { UseCookies = true, CookieContainer = new CookieContainer() }) { BaseAddress = _server.Url };

    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    private static async Task<(string Cookie, string Csrf)> SignInAsync(HttpClient browser, string token)
    {
        using var response = await browser.PostAsync("/api/v1/session", Json(JsonSerializer.Serialize(new { token })));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var setCookie = Assert.Single(response.Headers.GetValues("Set-Cookie"));
        Assert.StartsWith(WebSessions.Cookie + "=", setCookie, StringComparison.Ordinal);
        Assert.Contains("httponly", setCookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=strict", setCookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("path=/", setCookie, StringComparison.OrdinalIgnoreCase);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return (setCookie.Split(';')[0], body.RootElement.GetProperty("csrf").GetString()!);
    }

    [Fact]
    public async Task BadSignIns_AreRefused_AndSetNoCookie()
    {
        using var browser = Browser();
        foreach (var token in new[] { _server.Tokens["revoked"], _server.Tokens["expired"], "mim_0123456789abcdef_forgedforgedforgedforged", "nonsense", _server.Tokens["jwt-expired"], _server.Tokens["jwt-forged"] })
        {
            using var refused = await browser.PostAsync("/api/v1/session", Json(JsonSerializer.Serialize(new { token })));
            Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
            Assert.False(refused.Headers.Contains("Set-Cookie"));
        }
        // Only JSON: a cross-site form cannot sign a browser in as someone else.
        using var form = await browser.PostAsync("/api/v1/session", new FormUrlEncodedContent([new("token", _server.Tokens["admin"])]));
        Assert.True(form.StatusCode == HttpStatusCode.UnsupportedMediaType, await form.Content.ReadAsStringAsync());
        using var empty = await browser.PostAsync("/api/v1/session", Json("""{"token":""}"""));
        Assert.Equal(HttpStatusCode.BadRequest, empty.StatusCode);
        Assert.Contains("token: is required", await empty.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        using var unknownField = await browser.PostAsync("/api/v1/session", Json("""{"token":"x","admin":true}"""));
        Assert.Equal(HttpStatusCode.BadRequest, unknownField.StatusCode);
        using var anonymous = await browser.GetAsync("/api/v1/session");
        Assert.Equal(HttpStatusCode.NoContent, anonymous.StatusCode);
    }

    [Fact]
    public async Task TheCookie_SignsIn_ChangesNeedTheCsrfHeader_RolesHold_AndSignOutRevokes()
    {
        using var browser = Browser();
        var (cookie, csrf) = await SignInAsync(browser, _server.Tokens["operator"]);
        Assert.StartsWith(WebSessions.Cookie + "=mim_", cookie, StringComparison.Ordinal); // a session token of its own, not the one signed in with
        Assert.DoesNotContain(_server.Tokens["operator"], cookie, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("/api/v1/loops")).StatusCode);
        using (var session = await browser.GetAsync("/api/v1/session"))
        {
            using var body = JsonDocument.Parse(await session.Content.ReadAsStringAsync());
            Assert.Equal(("otto", csrf), (body.RootElement.GetProperty("name").GetString(), body.RootElement.GetProperty("csrf").GetString()));
        }

        // A change without the header, or with a wrong one, is refused before it reaches the endpoint.
        var submit = "name: via-cookie\nresearcher: { id: ada, name: Ada }\nquestion: Q?\nanchor: { policy: fixed, time: 2026-11-01T09:00:00Z }\ndays: 1\n";
        foreach (var header in new[] { null, "", "guess", csrf + "x" })
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/loops") { Content = new StringContent(submit, Encoding.UTF8, "application/yaml") };
            if (header is not null)
            {
                request.Headers.Add(WebSessions.CsrfHeader, header);
            }
            using var refused = await browser.SendAsync(request);
            Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        }
        Assert.Equal(HttpStatusCode.NotFound, (await _server.Http("admin").GetAsync("/api/v1/loops/via-cookie")).StatusCode);
        using (var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/loops") { Content = new StringContent(submit, Encoding.UTF8, "application/yaml") })
        {
            request.Headers.Add(WebSessions.CsrfHeader, csrf);
            using var accepted = await browser.SendAsync(request);
            Assert.Equal(HttpStatusCode.Created, accepted.StatusCode);
        }
        // The cookie carries only its user's role.
        using (var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/users"))
        {
            Assert.Equal(HttpStatusCode.Forbidden, (await browser.SendAsync(request)).StatusCode);
        }

        // Signing out needs the header too (else any site could sign you out), then revokes the session.
        Assert.Equal(HttpStatusCode.Forbidden, (await browser.DeleteAsync("/api/v1/session")).StatusCode);
        using (var request = new HttpRequestMessage(HttpMethod.Delete, "/api/v1/session"))
        {
            request.Headers.Add(WebSessions.CsrfHeader, csrf);
            Assert.Equal(HttpStatusCode.NoContent, (await browser.SendAsync(request)).StatusCode);
        }
        var sessions = (await _server.Client("admin").ListTokensAsync("otto")).Where(t => t.Label == WebSessions.Label).ToList();
        Assert.NotNull(Assert.Single(sessions).Revoked);
    }

    [Fact]
    public async Task AStolenCookieValue_IsOnlyAToken_AndAnAuthorizationHeaderIgnoresTheCookie()
    {
        using var browser = Browser();
        var (cookie, _) = await SignInAsync(browser, _server.Tokens["researcher"]);
        // A researcher's session cannot read loops, whatever else comes with it.
        Assert.Equal(HttpStatusCode.Forbidden, (await browser.GetAsync("/api/v1/loops")).StatusCode);
        // With an Authorization header the cookie plays no part (and no CSRF header is needed).
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/tripwires/check") { Content = Json("""{"text":"hello"}""") };
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", _server.Tokens["viewer"]);
        using var asViewer = await browser.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, asViewer.StatusCode);
        using var me = new HttpRequestMessage(HttpMethod.Get, "/api/v1/me");
        me.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", _server.Tokens["viewer"]);
        Assert.Contains("\"vic\"", await (await browser.SendAsync(me)).Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.StartsWith(WebSessions.Cookie + "=mim_", cookie, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnOidcToken_SignsTheBrowserIn_WithItsRoles_UnderTheSameCsrfRule()
    {
        using var browser = Browser();
        var (cookie, csrf) = await SignInAsync(browser, _server.Tokens["jwt-reviewer"]);
        Assert.DoesNotContain("mim_", cookie, StringComparison.Ordinal);
        using (var session = await browser.GetAsync("/api/v1/session"))
        {
            using var body = JsonDocument.Parse(await session.Content.ReadAsStringAsync());
            Assert.Equal("jules", body.RootElement.GetProperty("name").GetString());
            Assert.Equal(["reviewer"], body.RootElement.GetProperty("roles").EnumerateArray().Select(r => r.GetString()));
        }
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("/api/v1/reviews")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await browser.GetAsync("/api/v1/users")).StatusCode);
        // A change carried by the cookie needs the header, whichever kind of token the cookie holds.
        using (var noHeader = await browser.PostAsync("/api/v1/reviews/nope/0/1/1/reject", null))
        {
            Assert.Equal(HttpStatusCode.Forbidden, noHeader.StatusCode);
            Assert.Contains(WebSessions.CsrfHeader, await noHeader.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }
        using (var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/reviews/nope/0/1/1/reject"))
        {
            request.Headers.Add(WebSessions.CsrfHeader, csrf);
            Assert.Equal(HttpStatusCode.NotFound, (await browser.SendAsync(request)).StatusCode); // allowed through, and no such review
        }
        using (var request = new HttpRequestMessage(HttpMethod.Delete, "/api/v1/session"))
        {
            request.Headers.Add(WebSessions.CsrfHeader, csrf);
            Assert.Equal(HttpStatusCode.NoContent, (await browser.SendAsync(request)).StatusCode);
        }
        Assert.Equal(HttpStatusCode.Unauthorized, (await browser.GetAsync("/api/v1/reviews")).StatusCode);
    }
}
