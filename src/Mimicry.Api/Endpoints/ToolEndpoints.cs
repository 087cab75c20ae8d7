using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Mimicry.Api.Auth;
using Mimicry.Probes;
using Mimicry.Client;
using Mimicry.Tripwires;

namespace Mimicry.Api.Endpoints;

/// <summary>Checks that change nothing: the tripwires over a text.</summary>
internal static class ToolEndpoints
{
    public const int MaxText = 200_000;

    public static void MapTools(this RouteGroupBuilder api)
    {
        api.MapPost("/tripwires/check", CheckAsync).RequireAuthorization(Roles.Policies.Read)
            .WithSummary("Run the default tripwires over a text, as if it were a candidate entry on a day with this anchor")
            .Accepts<TripwireCheckRequest>("application/json").Produces<IReadOnlyList<TripwireVerdictView>>().ProducesProblem(400);
        api.MapPost("/tripwires/eval", (Func<HttpContext, Task<IResult>>)EvalAsync).RequireAuthorization(Roles.Policies.Read)
            .WithSummary("Score the default offline tripwires on a labelled corpus (JSON Lines: id, label, category, subcategory, anchor, text): recall and false hits per category")
            .WithDescription("Body: the corpus as JSON Lines (Content-Type application/x-ndjson). The content type is checked after the caller's role, so a refused caller learns nothing from it.")
            .Produces<TripwireEvalView>().ProducesProblem(400).ProducesProblem(413).ProducesProblem(415);
    }

    private static async Task<IResult> EvalAsync(HttpContext context)
    {
        var type = context.Request.ContentType?.Split(';')[0].Trim().ToLowerInvariant();
        if (type is not ("application/x-ndjson" or "application/jsonl" or "application/json-lines" or "text/plain"))
        {
            return Problems.Result(415, "Unsupported media type", "send the corpus as JSON Lines (Content-Type: application/x-ndjson)");
        }
        var (text, problem) = await Bodies.TextAsync(context.Request);
        if (problem is not null)
        {
            return problem;
        }
        IReadOnlyList<CorpusText> corpus;
        try
        {
            corpus = TripwireCorpus.Parse(text!, "corpus");
        }
        catch (TripwireCorpusException ex)
        {
            return Problems.BadRequest("the corpus is not valid", [ex.Message]);
        }
        var report = await Task.Run(() => TripwireEvaluation.Run(corpus), context.RequestAborted);
        return Results.Ok(new TripwireEvalView(corpus.Count, report.Trips.Rate, report.Benign.Rate,
            report.Scores.Select(s => new TripwireEvalScoreView(s.Category, s.Subcategory, s.ShouldTrip, s.Texts, s.Tripped, s.Rate)).ToList()));
    }

    private static async Task<IResult> CheckAsync(HttpContext context, IProbeScorer scorer)
    {
        var (body, problem) = await Bodies.JsonAsync<TripwireCheckRequest>(context.Request);
        if (problem is not null)
        {
            return problem;
        }
        var references = body!.References ?? [];
        if (body.Text is null || body.Text.Length > MaxText || references.Count > 20 || references.Any(r => r is null || r.Length > 20_000))
        {
            return Problems.BadRequest("the body is not valid", [$"text: at most {MaxText} characters; references: at most 20 texts of 20000 characters"]);
        }
        var anchor = body.Anchor ?? DateTimeOffset.UtcNow;
        var verdicts = await Task.Run(() => TripwireSet.Check(body.Text, anchor, TripwireSet.Default, references.Where(r => r.Length > 0).ToList(),
            references.Count > 0 ? scorer.Similarity : null), context.RequestAborted);
        return Results.Ok(verdicts.Select(Views.Verdict).ToList());
    }
}
