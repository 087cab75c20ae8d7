using System.Globalization;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Mimicry.Api.Auth;
using Mimicry.Api.Output;
using Mimicry.Client;
using Mimicry.Grains.Catalog;
using Mimicry.Storage;

namespace Mimicry.Api.Endpoints;

/// <summary>Notebooks: JSON pages of one branch, and whole-loop exports as Markdown (inert, fenced) or JSON lines.</summary>
internal static class NotebookEndpoints
{
    public const int MaxPage = 1000;

    public static void MapNotebooks(this RouteGroupBuilder api)
    {
        api.MapGet("/loops/{loop}/branches/{branch:int}/notebook", PageAsync).RequireAuthorization(Roles.Policies.Read)
            .WithSummary("One page of a branch's notebook, oldest day first, with provenance (fromDay from 1, limit up to 1000)").Produces<NotebookPage>().ProducesProblem(404);
        api.MapGet("/loops/{loop}/notebook", ExportAsync).RequireAuthorization(Roles.Policies.Read)
            .WithSummary("A loop's notebooks as Markdown (format=md; model text fenced and inert) or JSON lines (format=jsonl); one branch with branch=B")
            .Produces<string>(200, "text/markdown", "application/jsonl").ProducesProblem(404);
    }

    private static async Task<IResult> PageAsync(string loop, int branch, int? fromDay, int? limit, INotebookStore store, LoopSpecs specs)
    {
        if (await specs.GetAsync(loop) is not { } spec)
        {
            return Problems.NotFound(await specs.UnknownAsync(loop));
        }
        if (branch < 0 || branch >= spec.Branches)
        {
            return Problems.NotFound($"loop '{loop}' has branches 0 to {spec.Branches - 1} (got {branch})");
        }
        var from = fromDay ?? 1;
        var take = limit ?? 100;
        var errors = new List<string>();
        if (from < 1)
        {
            errors.Add($"fromDay: must be 1 or more (got {from})");
        }
        if (take is < 1 or > MaxPage)
        {
            errors.Add($"limit: must be between 1 and {MaxPage} (got {take})");
        }
        if (errors.Count > 0)
        {
            return Problems.BadRequest("the query is not valid", errors);
        }
        var days = await NotebookView.ReadAsync(store, spec, branch);
        var page = days.Where(d => d.Day.Day >= from).Take(take).ToList();
        var next = page.Count == take && days.Any(d => d.Day.Day > page[^1].Day.Day) ? page[^1].Day.Day + 1 : (int?)null;
        return Results.Ok(new NotebookPage(loop, branch, spec.Days, page.Select(d => Views.Day(NotebookView.ToWire(d))).ToList(), next));
    }

    private static async Task ExportAsync(HttpContext context, string loop, int? branch, string? format, INotebookStore store, LoopSpecs specs)
    {
        if (await specs.GetAsync(loop) is not { } spec)
        {
            await Problems.Write(context, 404, "Not found", await specs.UnknownAsync(loop));
            return;
        }
        if (format is not (null or "md" or "jsonl"))
        {
            await Problems.Write(context, 400, "Bad request", "the query is not valid", [$"format: must be md or jsonl (got '{Bodies.Shown(format)}')"]);
            return;
        }
        if (branch is { } b && (b < 0 || b >= spec.Branches))
        {
            await Problems.Write(context, 400, "Bad request", "the query is not valid", [$"branch: must be between 0 and {spec.Branches - 1} for loop '{loop}' (got {b})"]);
            return;
        }
        var jsonl = format == "jsonl";
        context.Response.ContentType = jsonl ? "application/jsonl; charset=utf-8" : "text/markdown; charset=utf-8";
        await using var output = new StreamWriter(context.Response.Body, new UTF8Encoding(false), 64 * 1024);
        // The writer is synchronous and Kestrel refuses synchronous writes (a full buffer would flush in one, and end
        // the response half-way): each branch is written to memory, then sent asynchronously.
        var text = new StringWriter(CultureInfo.InvariantCulture);
        var writer = new NotebookWriter(text, jsonl);
        writer.Header(spec);
        for (var i = branch ?? 0; i <= (branch ?? spec.Branches - 1); i++)
        {
            writer.Branch(i, await NotebookView.ReadAsync(store, spec, i));
            await output.WriteAsync(text.GetStringBuilder(), context.RequestAborted);
            text.GetStringBuilder().Clear();
            await output.FlushAsync(context.RequestAborted);
        }
    }
}
