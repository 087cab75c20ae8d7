using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;

namespace Mimicry.Client;

/// <summary>Following a loop's progress over Server-Sent Events.</summary>
public sealed partial class MimicryClient
{
    /// <summary>
    /// Follows a loop's progress over Server-Sent Events until it settles (ends, or every unfinished branch waits
    /// for review). A dropped connection is resumed; the server sends the current state first, so the final state
    /// is never missed.
    /// </summary>
    public async IAsyncEnumerable<LoopView> FollowAsync(string loop, TimeSpan? interval = null, [EnumeratorCancellation] CancellationToken ct = default)
    {
        string? lastId = null;
        var failures = 0;
        var every = (int)(interval ?? TimeSpan.FromMilliseconds(500)).TotalMilliseconds;
        while (true)
        {
            HttpResponseMessage? response = null;
            Stream? stream = null;
            try
            {
                using var request = new HttpRequestMessage(HttpMethod.Get, $"loops/{Esc(loop)}/events?intervalMs={every}");
                request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/event-stream"));
                if (lastId is not null)
                {
                    request.Headers.Add("Last-Event-ID", lastId);
                }
                response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct);
                await ThrowIfFailedAsync(response, ct);
                stream = await response.Content.ReadAsStreamAsync(ct);
            }
            catch (Exception ex) when (ex is HttpRequestException or IOException && !ct.IsCancellationRequested && ++failures <= 10)
            {
                response?.Dispose();
                await Task.Delay(TimeSpan.FromMilliseconds(200 * failures), ct);
                continue;
            }
            using (response)
            await using (stream)
            {
                var reader = new StreamReader(stream!, Encoding.UTF8);
                var ended = false;
                while (true)
                {
                    ServerSentEvent? e;
                    try
                    {
                        e = await ServerSentEvent.ReadAsync(reader, ct);
                    }
                    catch (Exception ex) when (ex is HttpRequestException or IOException && !ct.IsCancellationRequested)
                    {
                        e = null; // dropped: reconnect below
                    }
                    if (e is null)
                    {
                        break;
                    }
                    lastId = e.Id ?? lastId;
                    failures = 0;
                    var view = JsonSerializer.Deserialize<LoopView>(e.Data, MimicryJson.Options)!;
                    yield return view;
                    if (e.Event == "end")
                    {
                        ended = true;
                        break;
                    }
                }
                if (ended)
                {
                    yield break;
                }
            }
            if (++failures > 10)
            {
                throw new HttpRequestException($"lost the progress stream of loop '{loop}' {failures - 1} times in a row");
            }
            await Task.Delay(TimeSpan.FromMilliseconds(100 * failures), ct);
        }
    }
}
