using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Mimicry.Api.Auth;
using Mimicry.Client;
using Mimicry.Grains;
using Mimicry.SpecReading;
using Mimicry.Status;

namespace Mimicry.Api.Endpoints;

/// <summary>The review desk: held days, and decisions recorded under the signed-in reviewer's name (never one from the request).</summary>
internal static class ReviewEndpoints
{
    private const string Id = "/reviews/{loop}/{branch:int}/{day:int}/{attempt:int}";

    public static void MapReviews(this RouteGroupBuilder api)
    {
        api.MapGet("/reviews", ListAsync).RequireAuthorization(Roles.Policies.Read)
            .WithSummary("Held days (pending=true, the default) or every review (pending=false), optionally of one loop").Produces<IReadOnlyList<ReviewView>>();
        api.MapGet(Id, GetAsync).RequireAuthorization(Roles.Policies.Read)
            .WithSummary("One held day: why it was held, its candidates and every tripwire verdict").Produces<ReviewView>().ProducesProblem(404);
        api.MapPost(Id + "/approve", ApproveAsync).RequireAuthorization(Roles.Policies.Review)
            .WithSummary("Release the held day: the selection's choice, or the picked candidates (charged log2 C(N, k) bits)")
            .Accepts<ApproveRequest>("application/json").Produces<ReviewView>().ProducesProblem(400).ProducesProblem(404).ProducesProblem(409);
        api.MapPost(Id + "/reject", RejectAsync).RequireAuthorization(Roles.Policies.Review)
            .WithSummary("Discard the held day's candidates: the branch re-runs the day or stops, per the spec's review.onReject")
            .Produces<ReviewView>().ProducesProblem(404).ProducesProblem(409);
    }

    private static async Task<IResult> ListAsync(string? loop, bool? pending, IGrainFactory grains)
    {
        if (loop is not null && !SpecReader.IsSlug(loop))
        {
            return Problems.BadRequest("the query is not valid", ["loop: not a loop name"]);
        }
        var reviews = await grains.GetGrain<IReviewGrain>(0).List(loop, pending ?? true);
        return Results.Ok(reviews.Select(Views.Review).ToList());
    }

    private static async Task<IResult> GetAsync(string loop, int branch, int day, int attempt, IGrainFactory grains) =>
        await grains.GetGrain<IReviewGrain>(0).Get(Review.IdFor(loop, branch, day, attempt)) is { } r
            ? Results.Ok(Views.Review(r))
            : Problems.NotFound($"no review '{Bodies.Shown(Review.IdFor(loop, branch, day, attempt))}'");

    private static async Task<IResult> ApproveAsync(HttpContext context, string loop, int branch, int day, int attempt, IGrainFactory grains, Audit audit)
    {
        var (body, problem) = await Bodies.JsonAsync(context.Request, new ApproveRequest());
        if (problem is not null)
        {
            return problem;
        }
        if (body!.Picks is { Count: > Mimicry.SpecReading.SpecReader.MaxWidth })
        {
            return Problems.BadRequest("the body is not valid", [$"picks: at most {SpecReader.MaxWidth} candidates"]);
        }
        var id = Review.IdFor(loop, branch, day, attempt);
        return await audit.AuditedAsync(context, "review.approve", id,
            () => DecideAsync(grains, id, g => g.Approve(id, body.Picks, Caller.Name(context.User))),
            body.Picks is { } k ? $"picks {string.Join(",", k)}" : null);
    }

    private static Task<IResult> RejectAsync(HttpContext context, string loop, int branch, int day, int attempt, IGrainFactory grains, Audit audit)
    {
        var id = Review.IdFor(loop, branch, day, attempt);
        return audit.AuditedAsync(context, "review.reject", id, () => DecideAsync(grains, id, g => g.Reject(id, Caller.Name(context.User))));
    }

    private static async Task<IResult> DecideAsync(IGrainFactory grains, string id, Func<IReviewGrain, Task<Review>> decide)
    {
        var grain = grains.GetGrain<IReviewGrain>(0);
        if (await grain.Get(id) is null)
        {
            return Problems.NotFound($"no review '{Bodies.Shown(id)}'");
        }
        try
        {
            return Results.Ok(Views.Review(await decide(grain)));
        }
        catch (ArgumentException ex)
        {
            // Picks out of range or over budget (400); already decided, or the loop ended (409).
            return ex.Message.StartsWith("--pick: ", StringComparison.Ordinal)
                ? Problems.BadRequest("the picks cannot be kept", [$"picks: {ex.Message["--pick: ".Length..]}"])
                : Problems.Conflict(ex.Message);
        }
    }
}
