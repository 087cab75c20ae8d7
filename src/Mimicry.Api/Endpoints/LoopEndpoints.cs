using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Mimicry.Api.Auth;
using Mimicry.Client;
using Mimicry.Grains;
using Mimicry.Grains.Catalog;
using Mimicry.SpecReading;
using Mimicry.Status;
using Mimicry.Storage;

namespace Mimicry.Api.Endpoints;

/// <summary>Loops: list, submit, status, spec, cancel, resume.</summary>
internal static class LoopEndpoints
{
    private static readonly string[] SpecTypes = ["application/json", "application/yaml", "application/x-yaml", "text/yaml", "text/x-yaml", "text/plain"];

    public static void MapLoops(this RouteGroupBuilder api)
    {
        api.MapGet("/loops", ListAsync).RequireAuthorization(Roles.Policies.Read).WithSummary("Every loop with its state and progress").Produces<IReadOnlyList<LoopView>>();
        api.MapPost("/loops", SubmitAsync).RequireAuthorization(Roles.Policies.Operate)
            .WithSummary("Submit a loop spec (YAML or JSON, as in a spec file): starts the loop, or resumes it if one of its name and spec exists")
            .Accepts<string>("application/yaml", "application/json").Produces<LoopView>(201).ProducesProblem(400).ProducesProblem(409);
        api.MapGet("/loops/{loop}", GetAsync).RequireAuthorization(Roles.Policies.Read).WithSummary("A loop's state and progress").Produces<LoopView>().ProducesProblem(404);
        api.MapGet("/loops/{loop}/spec", SpecAsync).RequireAuthorization(Roles.Policies.Read).WithSummary("A loop's stored spec (canonical JSON)").ProducesProblem(404);
        api.MapPost("/loops/{loop}/cancel", CancelAsync).RequireAuthorization(Roles.Policies.Operate).WithSummary("Stop a loop for good; committed days stay")
            .Accepts<CancelRequest>("application/json").Produces<LoopView>().ProducesProblem(404);
        api.MapPost("/loops/{loop}/resume", ResumeAsync).RequireAuthorization(Roles.Policies.Operate)
            .WithSummary("Continue a loop the drift test paused, or restart the stopped branches of a running one").Produces<LoopView>().ProducesProblem(404).ProducesProblem(409);
    }

    private static async Task<IResult> ListAsync(INotebookStore store, LoopSpecs specs, ApiHostInfo host, IGrainFactory grains)
    {
        var list = new List<LoopView>();
        foreach (var s in await LoopSummaries.ListAsync(store, DateTimeOffset.UtcNow))
        {
            var spec = await specs.GetAsync(s.Loop) ?? SpecJson.Deserialize(s.SpecJson);
            // Embedded: a running loop that this process does not drive was interrupted ('run' resumes it).
            var interrupted = host.Embedded && s.State == RunState.Running && !(await grains.GetGrain<ILoopGrain>(s.Loop).GetStatus()).Driving;
            list.Add(Views.Loop(s, spec, interrupted));
        }
        return Results.Ok(list);
    }

    private static async Task<IResult> GetAsync(string loop, LoopSpecs specs, ApiHostInfo host, IGrainFactory grains)
    {
        if (await specs.GetAsync(loop) is not { } spec)
        {
            return Problems.NotFound(await specs.UnknownAsync(loop));
        }
        return Results.Ok(Views.Loop(await grains.GetGrain<ILoopGrain>(loop).GetStatus(), spec, host.Embedded));
    }

    private static async Task<IResult> SpecAsync(string loop, INotebookStore store)
    {
        if (!SpecReader.IsSlug(loop) || await store.GetLoopAsync(loop) is not { } record)
        {
            return Problems.NotFound($"no loop named '{Bodies.Shown(loop)}'");
        }
        return Results.Text(record.SpecJson, "application/json");
    }

    private static Task<IResult> SubmitAsync(HttpContext context, ApiHostInfo host, Mimicry.SpecReading.ModelBackends backends, IGrainFactory grains, LoopSpecs specs, Audit audit, string? file, string? directory)
    {
        var label = file is { Length: > 0 and <= 100 } f && f.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-') ? f : "spec";
        return audit.AuditedAsync(context, "loop.submit", label, async () =>
        {
            var type = context.Request.ContentType?.Split(';')[0].Trim();
            if (type is null || !SpecTypes.Contains(type, StringComparer.OrdinalIgnoreCase))
            {
                return Problems.Result(415, "Unsupported media type", $"send the spec as application/yaml or application/json (got '{Bodies.Shown(type ?? "none")}')");
            }
            var (text, problem) = await Bodies.TextAsync(context.Request);
            if (problem is not null)
            {
                return problem;
            }
            SpecContext specContext;
            // Inline model URLs, key variables and files are the embedded host's owner's alone (its admin): another
            // user of a shared 'mimicry serve' must not point the owner's environment or files anywhere.
            if (!host.InlineSpecs || !context.User.IsInRole(Roles.Admin))
            {
                specContext = SpecContext.Server(backends.All);
            }
            else if (directory is not null && (!Path.IsPathFullyQualified(directory) || !Directory.Exists(directory)))
            {
                return Problems.BadRequest("directory: must be an existing absolute folder (where the spec's relative paths point)", ["directory: not an existing absolute folder"]);
            }
            else
            {
                // The embedded host's one user: the same files and environment as their shell.
                specContext = SpecContext.Current with { BaseDirectory = directory ?? Directory.GetCurrentDirectory(), Backends = backends.All };
            }
            Mimicry.Spec.LoopSpec spec;
            try
            {
                spec = SpecReader.Parse(label, text ?? "", DateTimeOffset.UtcNow, specContext);
            }
            catch (SpecException ex)
            {
                return Problems.BadRequest($"the spec has {ex.Errors.Count} problem(s)", ex.Errors);
            }
            LoopStatus status;
            try
            {
                status = await grains.GetGrain<ILoopGrain>(spec.Name).Start(spec);
            }
            catch (ArgumentException ex) when (ex.Message.StartsWith("spec refused", StringComparison.Ordinal))
            {
                return Problems.BadRequest(ex.Message, [$"{label}: {ex.Message["spec refused: ".Length..]}"]);
            }
            catch (ArgumentException ex)
            {
                return Problems.Result(409, "Conflict", $"{label}: name: {ParamLess(ex.Message)}", [$"{label}: name: {ParamLess(ex.Message)}"]);
            }
            return Results.Json(Views.Loop(status, (await specs.GetAsync(spec.Name))!, host.Embedded), Mimicry.Client.MimicryJson.Options, statusCode: 201);
        });
    }

    private static async Task<IResult> CancelAsync(HttpContext context, string loop, LoopSpecs specs, ApiHostInfo host, IGrainFactory grains, Audit audit)
    {
        var (body, problem) = await Bodies.JsonAsync(context.Request, new CancelRequest());
        if (problem is not null)
        {
            return problem;
        }
        if (body!.Reason is { } r && (r.Length > 500 || r.Any(char.IsControl)))
        {
            return Problems.BadRequest("the body is not valid", ["reason: must be at most 500 characters without control characters"]);
        }
        return await audit.AuditedAsync(context, "loop.cancel", loop, async () =>
        {
            if (await specs.GetAsync(loop) is not { } spec)
            {
                return Problems.NotFound(await specs.UnknownAsync(loop));
            }
            var who = Caller.Name(context.User);
            var reason = $"cancelled by {who} at {DateTimeOffset.UtcNow:yyyy-MM-dd HH:mm:ss}Z{(body.Reason is { Length: > 0 } why ? $": {why}" : "")}";
            var status = await grains.GetGrain<ILoopGrain>(loop).Cancel(reason);
            return Results.Ok(Views.Loop(status, spec, host.Embedded));
        }, body.Reason);
    }

    private static Task<IResult> ResumeAsync(HttpContext context, string loop, LoopSpecs specs, ApiHostInfo host, IGrainFactory grains, Audit audit) =>
        audit.AuditedAsync(context, "loop.resume", loop, async () =>
        {
            if (await specs.GetAsync(loop) is not { } spec)
            {
                return Problems.NotFound(await specs.UnknownAsync(loop));
            }
            var grain = grains.GetGrain<ILoopGrain>(loop);
            var status = await grain.GetStatus();
            switch (status.State)
            {
                case RunState.Paused:
                    status = await grain.ResumeAfterReview(Caller.Name(context.User));
                    break;
                case RunState.Running:
                    await grain.Resume();
                    status = await grain.GetStatus();
                    break;
                default:
                    return Problems.Conflict($"loop '{loop}' is {status.State.ToString().ToLowerInvariant()}: there is nothing to resume");
            }
            return Results.Ok(Views.Loop(status, spec, host.Embedded));
        });

    private static string ParamLess(string message) =>
        message[..(message.IndexOf(" (Parameter", StringComparison.Ordinal) is var i and >= 0 ? i : message.Length)];
}
