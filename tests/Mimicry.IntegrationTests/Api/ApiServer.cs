using System.Net.Http.Headers;
using Microsoft.Data.Sqlite;
using Mimicry.Api.Auth;
using Mimicry.Client;
using Mimicry.Hosting;
using Mimicry.Storage.Access;
using Mimicry.Storage.Sqlite;

namespace Mimicry.IntegrationTests.Api;

/// <summary>
/// A real embedded host (silo + Kestrel on 127.0.0.1) over a fresh data folder, with one user per role, a revoked
/// token and an expired one; for tests that drive the API over HTTP.
/// </summary>
public sealed class ApiServer : IAsyncDisposable
{
    private readonly SqliteNotebookStore _store;
    private readonly EmbeddedHost _host;

    private ApiServer(string folder, SqliteNotebookStore store, EmbeddedHost host)
    {
        Folder = folder;
        _store = store;
        _host = host;
    }

    public string Folder { get; }

    public Uri Url => _host.ApiUrl!;

    public IGrainFactory Grains => _host.Grains;

    public Orleans.Configuration.EndpointOptions EndpointOptions =>
        Microsoft.Extensions.DependencyInjection.ServiceProviderServiceExtensions.GetRequiredService<Microsoft.Extensions.Options.IOptions<Orleans.Configuration.EndpointOptions>>(_host.Services).Value;

    public Dictionary<string, string> Tokens { get; } = [];

    public static async Task<ApiServer> StartAsync(IReadOnlyDictionary<string, string?>? extra = null)
    {
        var folder = CliProcess.TempFolder("api");
        var store = SqliteNotebookStore.Open(folder, SqliteSync.Normal);
        var host = await EmbeddedHost.StartAsync(store, store.Access, TraceExport.None, new EmbeddedHostOptions
        {
            Settings = new Dictionary<string, string?>
            {
                ["Mimicry:Api:Oidc:SigningKey"] = JwtKey,
                ["Mimicry:Api:Oidc:Issuer"] = "https://idp.test",
                ["Mimicry:Api:Oidc:Audience"] = "mimicry",
                ["Mimicry:Api:MaxBodyBytes"] = "65536",
                ["Mimicry:Api:MaxEventStreams"] = "3",
            }.Concat(extra ?? new Dictionary<string, string?>()).ToDictionary(),
        });
        var server = new ApiServer(folder, store, host);
        var now = DateTimeOffset.UtcNow;
        foreach (var (name, role) in new[] { ("ada", Roles.Admin), ("otto", Roles.Operator), ("rita", Roles.Reviewer), ("alice", Roles.Researcher), ("bob", Roles.Researcher), ("vic", Roles.Viewer) })
        {
            await store.Access.AddUserAsync(new UserRecord(name, role, now, "test"));
            var (record, token) = ApiTokens.Create(name, "test", now, null, "test");
            await store.Access.AddTokenAsync(record);
            server.Tokens[role == Roles.Researcher && name == "bob" ? "researcher-bob" : role] = token;
        }
        var (revoked, revokedToken) = ApiTokens.Create("ada", "revoked", now, null, "test");
        await store.Access.AddTokenAsync(revoked);
        await store.Access.RevokeTokenAsync(revoked.Id, now);
        server.Tokens["revoked"] = revokedToken;
        var (expired, expiredToken) = ApiTokens.Create("ada", "expired", now.AddDays(-2), now.AddDays(-1), "test");
        await store.Access.AddTokenAsync(expired);
        server.Tokens["expired"] = expiredToken;
        server.Tokens["jwt-reviewer"] = Jwt("jules", "reviewer", now.AddMinutes(10));
        server.Tokens["jwt-expired"] = Jwt("jules", "admin", now.AddMinutes(-10));
        server.Tokens["jwt-forged"] = Jwt("jules", "admin", now.AddMinutes(10), key: new string('x', 40));
        return server;
    }

    public const string JwtKey = "a-test-signing-key-of-at-least-32-chars!";

    /// <summary>A JWT as an organization's identity provider would issue it (HS256 with the configured key).</summary>
    public static string Jwt(string name, string role, DateTimeOffset expires, string key = JwtKey) =>
        new Microsoft.IdentityModel.JsonWebTokens.JsonWebTokenHandler().CreateToken(new Microsoft.IdentityModel.Tokens.SecurityTokenDescriptor
        {
            Issuer = "https://idp.test",
            Audience = "mimicry",
            NotBefore = expires.AddHours(-1).UtcDateTime,
            IssuedAt = expires.AddHours(-1).UtcDateTime,
            Expires = expires.UtcDateTime,
            Claims = new Dictionary<string, object> { ["preferred_username"] = name, ["roles"] = role },
            SigningCredentials = new Microsoft.IdentityModel.Tokens.SigningCredentials(
                new Microsoft.IdentityModel.Tokens.SymmetricSecurityKey(System.Text.Encoding.UTF8.GetBytes(key)), Microsoft.IdentityModel.Tokens.SecurityAlgorithms.HmacSha256),
        });

    public MimicryClient Client(string who) => new(Url, Tokens[who]);

    public HttpClient Http(string? who)
    {
        var http = new HttpClient { BaseAddress = Url };
        if (who is not null)
        {
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Tokens.TryGetValue(who, out var t) ? t : who);
        }
        return http;
    }

    /// <summary>Everything a request could change except the audit log, as one string: compared before and after refused requests.</summary>
    public string StateFingerprint()
    {
        using var c = new SqliteConnection($"Data Source={Path.Combine(Folder, SqliteNotebookStore.FileName)};Mode=ReadOnly;Pooling=False");
        c.Open();
        var parts = new List<string>();
        foreach (var sql in new[]
        {
            "SELECT group_concat(loop || ':' || state || ':' || coalesce(reason, ''), '|') FROM (SELECT * FROM loops ORDER BY loop)",
            "SELECT count(*) || ':' || coalesce(sum(length(json)), 0) || ':' || coalesce(group_concat(state), '') FROM (SELECT * FROM reviews ORDER BY id)",
            "SELECT count(*) || ':' || coalesce(sum(length(json)), 0) || ':' || coalesce(group_concat(state), '') FROM (SELECT * FROM probes ORDER BY id)",
            "SELECT group_concat(name || ':' || role, '|') FROM (SELECT * FROM users ORDER BY name)",
            "SELECT count(*) || ':' || count(revoked) FROM tokens",
            "SELECT count(*) FROM days",
        })
        {
            using var cmd = c.CreateCommand();
            cmd.CommandText = sql;
            parts.Add(Convert.ToString(cmd.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture) ?? "");
        }
        return string.Join(" / ", parts);
    }

    public async ValueTask DisposeAsync()
    {
        await _host.DisposeAsync();
        await _store.DisposeAsync();
        SqliteConnection.ClearAllPools();
    }
}
