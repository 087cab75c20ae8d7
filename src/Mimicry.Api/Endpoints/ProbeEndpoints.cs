using System.Security.Claims;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Mimicry.Api.Auth;
using Mimicry.Client;
using Mimicry.Grains;
using Mimicry.SpecReading;
using Mimicry.Status;

namespace Mimicry.Api.Endpoints;

/// <summary>
/// The calibrator's inbox. A researcher sees and answers only the probes whose calibrator is their own user name
/// (anyone else's is "not found", so ids reveal nothing), and sees the simulated answer only after answering.
/// </summary>
internal static class ProbeEndpoints
{
    private const string Id = "/probes/{loop}/{branch:int}/{day:int}";
    public const int MaxAnswer = 100_000;

    public static void MapProbes(this RouteGroupBuilder api)
    {
        api.MapGet("/probes", ListAsync).RequireAuthorization(Roles.Policies.Probes)
            .WithSummary("Probes (a researcher's own only), optionally of one loop").Produces<IReadOnlyList<ProbeView>>();
        api.MapGet(Id, GetAsync).RequireAuthorization(Roles.Policies.Probes)
            .WithSummary("One probe: the date, question and notebook (the simulated answer only once answered)").Produces<ProbeView>().ProducesProblem(404);
        api.MapPost(Id + "/answer", AnswerAsync).RequireAuthorization(Roles.Policies.Answer)
            .WithSummary("Answer a probe blind, as its calibrator").Accepts<AnswerRequest>("application/json").Produces<ProbeView>().ProducesProblem(400).ProducesProblem(404);
        api.MapPost(Id + "/rate", RateAsync).RequireAuthorization(Roles.Policies.Answer)
            .WithSummary("Rate the simulated answer 1-5, after answering").Accepts<RateRequest>("application/json").Produces<ProbeView>().ProducesProblem(400).ProducesProblem(404);
    }

    private static bool Researcher(ClaimsPrincipal user) => user.IsInRole(Roles.Researcher) && !user.IsInRole(Roles.Admin) && !user.IsInRole(Roles.Operator)
        && !user.IsInRole(Roles.Reviewer) && !user.IsInRole(Roles.Viewer);

    private static bool Visible(ClaimsPrincipal user, Probe p) => !Researcher(user) || p.Calibrator == Caller.Name(user);

    private static ProbeView View(ClaimsPrincipal user, Probe p) => Views.Probe(p, blind: p.Calibrator == Caller.Name(user) || Researcher(user));

    private static async Task<IResult> ListAsync(HttpContext context, string? loop, IGrainFactory grains)
    {
        if (loop is not null && !SpecReader.IsSlug(loop))
        {
            return Problems.BadRequest("the query is not valid", ["loop: not a loop name"]);
        }
        var probes = await grains.GetGrain<ICalibrationGrain>(0).List(loop);
        return Results.Ok(probes.Where(p => Visible(context.User, p)).Select(p => View(context.User, p)).ToList());
    }

    private static async Task<IResult> GetAsync(HttpContext context, string loop, int branch, int day, IGrainFactory grains)
    {
        var id = $"{loop}/{branch}/{day}";
        var probe = await grains.GetGrain<ICalibrationGrain>(0).Get(id);
        return probe is not null && Visible(context.User, probe) ? Results.Ok(View(context.User, probe)) : Problems.NotFound($"no probe '{Bodies.Shown(id)}'");
    }

    private static async Task<IResult> AnswerAsync(HttpContext context, string loop, int branch, int day, IGrainFactory grains, Audit audit)
    {
        var (body, problem) = await Bodies.JsonAsync<AnswerRequest>(context.Request);
        if (problem is not null)
        {
            return problem;
        }
        if (string.IsNullOrWhiteSpace(body!.Text) || body.Text.Length > MaxAnswer)
        {
            return Problems.BadRequest("the body is not valid", [$"text: must be 1 to {MaxAnswer} characters"]);
        }
        var id = $"{loop}/{branch}/{day}";
        return await audit.AuditedAsync(context, "probe.answer", id, () => ActAsync(context, grains, id, (g, me) => g.Answer(id, me, body.Text)));
    }

    private static async Task<IResult> RateAsync(HttpContext context, string loop, int branch, int day, IGrainFactory grains, Audit audit)
    {
        var (body, problem) = await Bodies.JsonAsync<RateRequest>(context.Request);
        if (problem is not null)
        {
            return problem;
        }
        if (body!.Score is < 1 or > 5)
        {
            return Problems.BadRequest("the body is not valid", [$"score: must be 1 to 5 (got {body.Score})"]);
        }
        var id = $"{loop}/{branch}/{day}";
        return await audit.AuditedAsync(context, "probe.rate", id, () => ActAsync(context, grains, id, (g, me) => g.Rate(id, me, body.Score)), $"score {body.Score}");
    }

    /// <summary>Only the probe's own calibrator acts on it: anyone else gets "not found" (a researcher) or "forbidden".</summary>
    private static async Task<IResult> ActAsync(HttpContext context, IGrainFactory grains, string id, Func<ICalibrationGrain, string, Task<Probe>> act)
    {
        var grain = grains.GetGrain<ICalibrationGrain>(0);
        var me = Caller.Name(context.User);
        var probe = await grain.Get(id);
        if (probe is null || !Visible(context.User, probe))
        {
            return Problems.NotFound($"no probe '{Bodies.Shown(id)}'");
        }
        if (probe.Calibrator != me)
        {
            return Problems.Result(403, "Forbidden", $"probe '{id}' is for calibrator '{probe.Calibrator}'; only they answer and rate it");
        }
        try
        {
            return Results.Ok(Views.Probe(await act(grain, me), blind: false));
        }
        catch (ArgumentException ex)
        {
            return ex.Message.Contains("already", StringComparison.Ordinal) || ex.Message.Contains("expired", StringComparison.Ordinal) || ex.Message.Contains("must be answered", StringComparison.Ordinal)
                ? Problems.Conflict(ex.Message)
                : Problems.BadRequest(ex.Message);
        }
    }
}
