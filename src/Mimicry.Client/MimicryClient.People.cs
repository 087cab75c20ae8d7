using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;

namespace Mimicry.Client;

/// <summary>What people do through the API: reviews, probes, checks, and (admins) users, tokens and the audit log.</summary>
public sealed partial class MimicryClient
{
    // Reviews

    public Task<IReadOnlyList<ReviewView>> ListReviewsAsync(string? loop = null, bool pendingOnly = true, CancellationToken ct = default) =>
        GetAsync<IReadOnlyList<ReviewView>>($"reviews?pending={(pendingOnly ? "true" : "false")}{(loop is null ? "" : $"&loop={Uri.EscapeDataString(loop)}")}", ct);

    public Task<ReviewView> GetReviewAsync(string id, CancellationToken ct = default) => GetAsync<ReviewView>($"reviews/{Path(id)}", ct);

    public Task<ReviewView> ApproveAsync(string id, IReadOnlyList<int>? picks = null, CancellationToken ct = default) =>
        SendJsonAsync<ReviewView>(HttpMethod.Post, $"reviews/{Path(id)}/approve", new ApproveRequest(picks), ct);

    public Task<ReviewView> RejectAsync(string id, CancellationToken ct = default) =>
        SendAsync<ReviewView>(HttpMethod.Post, $"reviews/{Path(id)}/reject", null, ct);

    // Probes

    public Task<IReadOnlyList<ProbeView>> ListProbesAsync(string? loop = null, CancellationToken ct = default) =>
        GetAsync<IReadOnlyList<ProbeView>>(loop is null ? "probes" : $"probes?loop={Uri.EscapeDataString(loop)}", ct);

    public Task<ProbeView> GetProbeAsync(string id, CancellationToken ct = default) => GetAsync<ProbeView>($"probes/{Path(id)}", ct);

    public Task<ProbeView> AnswerProbeAsync(string id, string text, CancellationToken ct = default) =>
        SendJsonAsync<ProbeView>(HttpMethod.Post, $"probes/{Path(id)}/answer", new AnswerRequest(text), ct);

    public Task<ProbeView> RateProbeAsync(string id, int score, CancellationToken ct = default) =>
        SendJsonAsync<ProbeView>(HttpMethod.Post, $"probes/{Path(id)}/rate", new RateRequest(score), ct);

    // Tools

    public Task<IReadOnlyList<TripwireVerdictView>> CheckTripwiresAsync(TripwireCheckRequest request, CancellationToken ct = default) =>
        SendJsonAsync<IReadOnlyList<TripwireVerdictView>>(HttpMethod.Post, "tripwires/check", request, ct);

    public Task<ModelCheckResult> CheckModelAsync(ModelCheckRequest request, CancellationToken ct = default) =>
        SendJsonAsync<ModelCheckResult>(HttpMethod.Post, "models/check", request, ct);

    // Users, tokens, audit (admin)

    public Task<IReadOnlyList<UserView>> ListUsersAsync(CancellationToken ct = default) => GetAsync<IReadOnlyList<UserView>>("users", ct);

    public Task<UserView> AddUserAsync(string name, string role, CancellationToken ct = default) =>
        SendJsonAsync<UserView>(HttpMethod.Post, "users", new CreateUserRequest(name, role), ct);

    public async Task RemoveUserAsync(string name, CancellationToken ct = default)
    {
        using var response = await _http.DeleteAsync($"users/{Esc(name)}", ct);
        await ThrowIfFailedAsync(response, ct);
    }

    public Task<IReadOnlyList<TokenView>> ListTokensAsync(string? user = null, CancellationToken ct = default) =>
        GetAsync<IReadOnlyList<TokenView>>(user is null ? "tokens" : $"tokens?user={Uri.EscapeDataString(user)}", ct);

    public Task<CreatedToken> CreateTokenAsync(CreateTokenRequest request, CancellationToken ct = default) =>
        SendJsonAsync<CreatedToken>(HttpMethod.Post, "tokens", request, ct);

    public async Task RevokeTokenAsync(string id, CancellationToken ct = default)
    {
        using var response = await _http.DeleteAsync($"tokens/{Esc(id)}", ct);
        await ThrowIfFailedAsync(response, ct);
    }

    public Task<IReadOnlyList<AuditEntryView>> ListAuditAsync(int limit = 100, long? before = null, CancellationToken ct = default) =>
        GetAsync<IReadOnlyList<AuditEntryView>>($"audit?limit={limit}{(before is { } b ? $"&before={b}" : "")}", ct);
}
