using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Mimicry.Api.Auth;
using Mimicry.Probes;
using Mimicry.Client;
using Mimicry.Status;
using Mimicry.Storage;

namespace Mimicry.Api.Endpoints;

/// <summary>What a loop's page and timeline draw: its branches' progress, and its drift test as a series.</summary>
internal static class LoopDetailEndpoints
{
    public static void MapLoopDetails(this RouteGroupBuilder api)
    {
        api.MapGet("/loops/{loop}/branches", BranchesAsync).RequireAuthorization(Roles.Policies.Read)
            .WithSummary("Each branch's committed days (a fork's own, after its shared prefix) and state").Produces<BranchesView>().ProducesProblem(404);
        api.MapGet("/loops/{loop}/calibration", CalibrationAsync).RequireAuthorization(Roles.Policies.Read)
            .WithSummary("The drift test over the loop's scored probes, in the order of simulated days: each score and the statistic after it")
            .Produces<CalibrationSeries>().ProducesProblem(404);
    }

    private static async Task<IResult> BranchesAsync(string loop, INotebookStore store, LoopSpecs specs)
    {
        if (await specs.GetAsync(loop) is not { } spec)
        {
            return Problems.NotFound(await specs.UnknownAsync(loop));
        }
        var record = await store.GetLoopAsync(loop);
        var days = await store.GetDaysPerBranchAsync(loop);
        var finished = (await store.ListFinishedBranchesAsync(loop)).ToDictionary(b => b.Branch);
        var held = (await store.ListReviewsAsync(loop, pendingOnly: true)).Select(r => r.Branch).ToHashSet();
        var running = record?.State.ToString().ToLowerInvariant() ?? "running";
        var list = Enumerable.Range(0, spec.Branches).Select(b =>
            finished.TryGetValue(b, out var f) ? new BranchView(b, days.GetValueOrDefault(b), f.State.ToString().ToLowerInvariant(), f.Reason)
            : held.Contains(b) ? new BranchView(b, days.GetValueOrDefault(b), "held", "waiting for review")
            : new BranchView(b, days.GetValueOrDefault(b), running, null)).ToList();
        return Results.Json(new BranchesView(loop, spec.Days, list), MimicryJson.Options);
    }

    private static async Task<IResult> CalibrationAsync(string loop, INotebookStore store, LoopSpecs specs)
    {
        if (await specs.GetAsync(loop) is not { } spec)
        {
            return Problems.NotFound(await specs.UnknownAsync(loop));
        }
        if (spec.Calibration is not { } c)
        {
            return Results.Json(new CalibrationSeries(loop, false, 0, 0, "no calibration", []), MimicryJson.Options);
        }
        var scored = (await store.ReadProbeScoresAsync(loop, 0)).Changed
            .GroupBy(s => s.Id).Select(g => g.Last())
            .OrderBy(s => s.Day).ThenBy(s => s.Branch).ThenBy(s => s.Id, StringComparer.Ordinal).ToList();
        var fold = new DriftFold(c.Drift);
        var points = new List<DriftPoint>(scored.Count);
        foreach (var s in scored)
        {
            fold.Add(s.Id, s.Score, s.Acknowledged);
            points.Add(new DriftPoint(s.Id, s.Branch, s.Day, Math.Round(s.Score, 6), Math.Round(fold.State.Cusum, 6), s.Acknowledged));
        }
        return Results.Json(new CalibrationSeries(loop, true, c.Drift.Threshold, c.Drift.Baseline, fold.State.Describe(), points), MimicryJson.Options);
    }
}
