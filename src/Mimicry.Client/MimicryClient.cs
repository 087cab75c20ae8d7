using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;

namespace Mimicry.Client;

/// <summary>
/// A typed client for Mimicry's HTTP API (<c>/api/v1</c>). Every call sends the bearer token it was made with; a
/// refusal becomes a <see cref="MimicryApiException"/> with the server's problem details.
/// </summary>
public sealed partial class MimicryClient : IDisposable
{
    private readonly HttpClient _http;
    private readonly bool _ownsHttp;

    /// <param name="server">The server's base address, e.g. http://127.0.0.1:5080/.</param>
    /// <param name="token">An API token (<c>mim_…</c>) or an OIDC access token.</param>
    public MimicryClient(Uri server, string token, HttpMessageHandler? handler = null)
    {
        _http = handler is null ? new HttpClient() : new HttpClient(handler, disposeHandler: false);
        _http.BaseAddress = new Uri(server.ToString().TrimEnd('/') + "/api/v1/");
        _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        _http.Timeout = Timeout.InfiniteTimeSpan; // each call has its own cancellation; progress streams stay open
        _ownsHttp = true;
    }

    public Uri Server => new(_http.BaseAddress!, "../..");

    public Task<Me> MeAsync(CancellationToken ct = default) => GetAsync<Me>("me", ct);

    // Loops

    public Task<IReadOnlyList<LoopView>> ListLoopsAsync(CancellationToken ct = default) => GetAsync<IReadOnlyList<LoopView>>("loops", ct);

    public Task<LoopView> GetLoopAsync(string loop, CancellationToken ct = default) => GetAsync<LoopView>($"loops/{Esc(loop)}", ct);

    /// <summary>The loop's stored spec, as canonical JSON.</summary>
    public async Task<string> GetSpecJsonAsync(string loop, CancellationToken ct = default)
    {
        using var response = await _http.GetAsync($"loops/{Esc(loop)}/spec", ct);
        await ThrowIfFailedAsync(response, ct);
        return await response.Content.ReadAsStringAsync(ct);
    }

    /// <summary>
    /// Submits a spec (YAML or JSON text, as in a spec file): starts the loop, or resumes it if one of its name and
    /// spec exists. <paramref name="fileName"/> only labels the server's error messages.
    /// </summary>
    /// <param name="directory">Where the spec's relative paths point (a prompt file); honoured only by a local data folder's server.</param>
    public async Task<LoopView> SubmitAsync(string specText, string? fileName = null, string? directory = null, CancellationToken ct = default)
    {
        var json = specText.TrimStart().StartsWith('{');
        using var content = new StringContent(specText, Encoding.UTF8, json ? "application/json" : "application/yaml");
        var query = new List<string>();
        if (fileName is not null)
        {
            query.Add($"file={Uri.EscapeDataString(fileName)}");
        }
        if (directory is not null)
        {
            query.Add($"directory={Uri.EscapeDataString(directory)}");
        }
        var path = query.Count == 0 ? "loops" : $"loops?{string.Join('&', query)}";
        return await SendAsync<LoopView>(HttpMethod.Post, path, content, ct);
    }

    public Task<LoopView> CancelAsync(string loop, string? reason = null, CancellationToken ct = default) =>
        SendJsonAsync<LoopView>(HttpMethod.Post, $"loops/{Esc(loop)}/cancel", new CancelRequest(reason), ct);

    /// <summary>Continues a paused loop (the drift test fired) or restarts the stopped branches of a running one.</summary>
    public Task<LoopView> ResumeAsync(string loop, CancellationToken ct = default) =>
        SendAsync<LoopView>(HttpMethod.Post, $"loops/{Esc(loop)}/resume", null, ct);

    public Task<ForkResult> ForkAsync(string loop, ForkRequest request, CancellationToken ct = default) =>
        SendJsonAsync<ForkResult>(HttpMethod.Post, $"loops/{Esc(loop)}/forks", request, ct);

    public Task<NotebookPage> GetNotebookAsync(string loop, int branch, int fromDay = 1, int limit = 100, CancellationToken ct = default) =>
        GetAsync<NotebookPage>($"loops/{Esc(loop)}/branches/{branch}/notebook?fromDay={fromDay}&limit={limit}", ct);

    /// <summary>
    /// A loop's notebooks as text: Markdown (<paramref name="format"/> "md"; model text fenced and inert) or JSON lines
    /// ("jsonl"); one branch or all. The caller reads and disposes the stream.
    /// </summary>
    public async Task<Stream> ExportNotebookAsync(string loop, string format = "md", int? branch = null, CancellationToken ct = default)
    {
        var response = await _http.GetAsync($"loops/{Esc(loop)}/notebook?format={Uri.EscapeDataString(format)}{(branch is { } b ? $"&branch={b}" : "")}", HttpCompletionOption.ResponseHeadersRead, ct);
        try
        {
            await ThrowIfFailedAsync(response, ct);
            return new ResponseStream(response, await response.Content.ReadAsStreamAsync(ct));
        }
        catch
        {
            response.Dispose();
            throw;
        }
    }

    /// <summary>A whole branch's notebook, page by page.</summary>
    public async IAsyncEnumerable<NotebookDayView> ReadNotebookAsync(string loop, int branch, [EnumeratorCancellation] CancellationToken ct = default)
    {
        int? from = 1;
        while (from is { } f)
        {
            var page = await GetNotebookAsync(loop, branch, f, 500, ct);
            foreach (var d in page.Days)
            {
                yield return d;
            }
            from = page.NextFromDay;
        }
    }

    public void Dispose()
    {
        if (_ownsHttp)
        {
            _http.Dispose();
        }
    }

    private static string Esc(string segment) => Uri.EscapeDataString(segment);

    /// <summary>An id such as "loop/branch/day/attempt" as path segments, each escaped.</summary>
    private static string Path(string id) => string.Join('/', id.Split('/').Select(Uri.EscapeDataString));

    private async Task<T> GetAsync<T>(string path, CancellationToken ct)
    {
        using var response = await _http.GetAsync(path, ct);
        await ThrowIfFailedAsync(response, ct);
        return (await response.Content.ReadFromJsonAsync<T>(MimicryJson.Options, ct))!;
    }

    private Task<T> SendJsonAsync<T>(HttpMethod method, string path, object body, CancellationToken ct) =>
        SendAsync<T>(method, path, JsonContent.Create(body, body.GetType(), options: MimicryJson.Options), ct);

    private async Task<T> SendAsync<T>(HttpMethod method, string path, HttpContent? content, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(method, path) { Content = content };
        using var response = await _http.SendAsync(request, ct);
        await ThrowIfFailedAsync(response, ct);
        return (await response.Content.ReadFromJsonAsync<T>(MimicryJson.Options, ct))!;
    }

    private static async Task ThrowIfFailedAsync(HttpResponseMessage response, CancellationToken ct)
    {
        if (response.IsSuccessStatusCode)
        {
            return;
        }
        string title = response.ReasonPhrase ?? response.StatusCode.ToString();
        string? detail = null;
        var errors = new List<string>();
        try
        {
            var text = await response.Content.ReadAsStringAsync(ct);
            if (text.Length > 0)
            {
                using var doc = JsonDocument.Parse(text);
                var root = doc.RootElement;
                if (root.TryGetProperty("title", out var t) && t.ValueKind == JsonValueKind.String)
                {
                    title = t.GetString()!;
                }
                if (root.TryGetProperty("detail", out var d) && d.ValueKind == JsonValueKind.String)
                {
                    detail = d.GetString();
                }
                if (root.TryGetProperty("errors", out var e) && e.ValueKind == JsonValueKind.Array)
                {
                    errors.AddRange(e.EnumerateArray().Where(x => x.ValueKind == JsonValueKind.String).Select(x => x.GetString()!));
                }
            }
        }
        catch (JsonException)
        {
            // Not problem details (a proxy's page): the status line says enough.
        }
        if (response.StatusCode == HttpStatusCode.Unauthorized && detail is null)
        {
            detail = "not signed in: the server wants a valid API token (MIMICRY_TOKEN, or the credentials file)";
        }
        throw new MimicryApiException(response.StatusCode, title, detail, errors);
    }
}
