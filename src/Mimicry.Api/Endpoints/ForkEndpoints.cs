using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Mimicry.Api.Auth;
using Mimicry.Client;
using Mimicry.Grains;
using Mimicry.Grains.Branches;
using Mimicry.Spec;
using Mimicry.SpecReading;
using Mimicry.Storage;

namespace Mimicry.Api.Endpoints;

/// <summary>Forks: a new one-branch loop from the first days of an existing branch, with changed settings, checked here.</summary>
internal static class ForkEndpoints
{
    public static void MapForks(this RouteGroupBuilder api) =>
        api.MapPost("/loops/{loop}/forks", ForkAsync).RequireAuthorization(Roles.Policies.Operate)
            .WithSummary("Start a new branch from the first days of an existing one, with changed settings (charged in bits); dryRun=true checks it and says what it would charge, starting nothing")
            .Accepts<ForkRequest>("application/json").Produces<ForkResult>(201).Produces<ForkResult>(200).ProducesProblem(400).ProducesProblem(404);

    private static async Task<IResult> ForkAsync(HttpContext context, string loop, bool? dryRun, INotebookStore store, LoopSpecs specs, IGrainFactory grains, Audit audit)
    {
        var (request, problem) = await Bodies.JsonAsync<ForkRequest>(context.Request);
        if (problem is not null)
        {
            return problem;
        }
        var sets = request!.Set ?? [];
        if (sets.Count > 20 || sets.Any(s => s is null || s.Length > 2000 || s.Any(char.IsControl)))
        {
            return Problems.BadRequest("the body is not valid", ["set: at most 20 settings, each path=value without control characters"]);
        }
        if (dryRun == true)
        {
            // What a person confirms before forking: the same checks and charge, nothing started or written.
            return await BuildAsync(loop, request, sets, store, specs, null);
        }
        return await audit.AuditedAsync(context, "loop.fork", $"{loop}/{request.Branch}@{request.FromDay}", () => BuildAsync(loop, request, sets, store, specs, grains), string.Join(", ", sets));
    }

    /// <param name="grains">Null for a dry run: the fork is built and checked, not started.</param>
    private static async Task<IResult> BuildAsync(string loop, ForkRequest request, IReadOnlyList<string> sets, INotebookStore store, LoopSpecs specs, IGrainFactory? grains)
    {
        if (await specs.GetAsync(loop) is not { } parent)
        {
            return Problems.NotFound(await specs.UnknownAsync(loop));
        }
        var existing = (await store.ListLoopsAsync()).Select(l => SpecJson.Deserialize(l.SpecJson)).ToList();
        var committed = request.Branch >= 0 && request.Branch < parent.Branches ? (await NotebookLineage.ReadDaysAsync(store, parent, request.Branch)).Count : 0;
        var taken = existing.Select(s => s.Name).ToHashSet(StringComparer.Ordinal);
        var name = request.Name ?? DefaultName(loop, request.Branch, request.FromDay, taken);
        if (name is null)
        {
            return Problems.BadRequest("the body is not valid", ["name: the default name is longer than 64 characters; give one"]);
        }
        if (request.Name is not null && taken.Contains(name))
        {
            return Problems.Conflict($"name: a loop named '{Bodies.Shown(name)}' already exists; choose another name");
        }
        // The parent's branch is one timeline from this point; every earlier fork from the same point is another.
        var timelines = 1 + existing.Count(s => s.Fork is { } f && f.Loop == parent.Name && f.Branch == request.Branch && f.FromDay == request.FromDay);
        LoopSpec spec;
        try
        {
            spec = ForkBuilder.Build(parent, request.Branch, request.FromDay, committed, name, sets, timelines, DateTimeOffset.UtcNow);
        }
        catch (SpecException ex)
        {
            return Problems.BadRequest($"the fork has {ex.Errors.Count} problem(s)", ex.Errors.Select(BodyField).ToList());
        }
        var fork = spec.Fork!;
        var state = grains is null ? "not started (dry run)" : (await grains.GetGrain<ILoopGrain>(spec.Name).Start(spec)).State.ToString().ToLowerInvariant();
        return Results.Json(new ForkResult(spec.Name, state,
            new ForkOrigin(fork.Loop, fork.Branch, fork.FromDay, fork.Changes, Math.Round(fork.Bits, 6)), Math.Round(fork.Bits, 6), Describe(spec)),
            MimicryJson.Options, statusCode: grains is null ? 200 : 201);
    }

    /// <summary>The fork builder names CLI options; over HTTP the fields are the body's.</summary>
    private static string BodyField(string error)
    {
        foreach (var (option, field) in new[] { ("--branch:", "branch:"), ("--from-day:", "fromDay:"), ("--name:", "name:"), ("--set ", "set "), ("--set:", "set:") })
        {
            if (error.StartsWith(option, StringComparison.Ordinal))
            {
                return field + error[option.Length..];
            }
        }
        return error;
    }

    private static string? DefaultName(string loop, int branch, int fromDay, HashSet<string> taken)
    {
        var stem = $"{loop}-b{branch}d{fromDay}";
        var name = stem;
        for (var n = 2; taken.Contains(name); n++)
        {
            name = $"{stem}-{n}";
        }
        return name.Length <= 64 ? name : null;
    }

    public static string Describe(LoopSpec spec) =>
        $"Fork '{spec.Name}': branch {spec.Fork!.Branch} of '{spec.Fork.Loop}' after day {spec.Fork.FromDay}{(spec.Fork.Changes.Count > 0 ? $", with {string.Join(", ", spec.Fork.Changes)}" : "")}; forking charges {spec.Fork.Bits:0.###} bits.";
}
