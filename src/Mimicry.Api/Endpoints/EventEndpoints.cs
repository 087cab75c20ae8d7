using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Mimicry.Api.Auth;
using Mimicry.Client;
using Mimicry.Grains;

namespace Mimicry.Api.Endpoints;

/// <summary>
/// Loop progress as Server-Sent Events: the current state at once (so a reconnecting client never misses the final
/// one), then each change; "end" when the loop has settled (ended, or every unfinished branch waits for review).
/// Event ids count the changes of this stream; a reconnect with Last-Event-ID simply starts from the current state.
/// </summary>
internal static class EventEndpoints
{
    public static void MapEvents(this RouteGroupBuilder api) =>
        api.MapGet("/loops/{loop}/events", StreamAsync).RequireAuthorization(Roles.Policies.Read)
            .WithSummary("Follow a loop's progress (text/event-stream): 'status' events with the loop's state, then 'end'")
            .Produces<LoopView>(200, "text/event-stream").ProducesProblem(404);

    private static async Task StreamAsync(HttpContext context, string loop, int? intervalMs, LoopSpecs specs, ApiHostInfo host, IGrainFactory grains, ApiOptions options, OpenStreams streams)
    {
        if (await specs.GetAsync(loop) is not { } spec)
        {
            await Problems.Write(context, 404, "Not found", await specs.UnknownAsync(loop));
            return;
        }
        if (!streams.TryOpen(options.MaxEventStreams))
        {
            context.Response.Headers.RetryAfter = "5";
            await Problems.Write(context, 503, "Too many progress streams", $"this server keeps at most {options.MaxEventStreams} open; retry later, or read GET /loops/{{loop}}");
            return;
        }
        try
        {
            await FollowAsync(context, loop, intervalMs, spec, host, grains);
        }
        finally
        {
            streams.Close();
        }
    }

    private static async Task FollowAsync(HttpContext context, string loop, int? intervalMs, Mimicry.Spec.LoopSpec spec, ApiHostInfo host, IGrainFactory grains)
    {
        var every = TimeSpan.FromMilliseconds(Math.Clamp(intervalMs ?? 500, 100, 10_000));
        var grain = grains.GetGrain<ILoopGrain>(loop);
        context.Response.ContentType = "text/event-stream";
        context.Response.Headers.CacheControl = "no-cache";
        context.Response.Headers["X-Accel-Buffering"] = "no";
        var ct = context.RequestAborted;
        long id = long.TryParse(context.Request.Headers["Last-Event-ID"].ToString(), NumberStyles.None, CultureInfo.InvariantCulture, out var last) ? last : 0;
        string? previous = null;
        var quiet = TimeSpan.Zero;
        try
        {
            while (!ct.IsCancellationRequested)
            {
                var view = Views.Loop(await grain.GetStatus(), spec, host.Embedded);
                var json = JsonSerializer.Serialize(view, MimicryJson.Options);
                var settled = view.Settled;
                if (json != previous || settled)
                {
                    previous = json;
                    quiet = TimeSpan.Zero;
                    await context.Response.WriteAsync($"event: {(settled ? "end" : "status")}\nid: {++id}\ndata: {json}\n\n", ct);
                    await context.Response.Body.FlushAsync(ct);
                    if (settled)
                    {
                        return;
                    }
                }
                else if ((quiet += every) >= TimeSpan.FromSeconds(15))
                {
                    quiet = TimeSpan.Zero;
                    await context.Response.WriteAsync(": keep-alive\n\n", ct); // proxies close silent streams
                    await context.Response.Body.FlushAsync(ct);
                }
                // Not a plain delay: the loop wakes this wait when it changes course, so "end" goes out at once.
                await grain.WaitForChange(every).WaitAsync(ct);
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // The client went away.
        }
    }
}

/// <summary>Progress streams open on this host: each holds a connection and polls a grain, so their number is bounded.</summary>
internal sealed class OpenStreams
{
    private int _open;

    public bool TryOpen(int max)
    {
        if (Interlocked.Increment(ref _open) <= max)
        {
            return true;
        }
        Interlocked.Decrement(ref _open);
        return false;
    }

    public void Close() => Interlocked.Decrement(ref _open);
}
