using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Mimicry.Api.Auth;
using Mimicry.Client;
using Mimicry.Models.OpenAi;
using Mimicry.Prompts;
using Mimicry.Sessions;
using Mimicry.Spec;
using Mimicry.SpecReading;

namespace Mimicry.Api.Endpoints;

/// <summary>
/// One small request to a configured backend, so an operator learns that its URL, key and model work, from the silo
/// that holds the key. The URL and key never leave the silo; the reply is returned as untrusted text.
/// </summary>
internal static class ModelEndpoints
{
    public static void MapModels(this RouteGroupBuilder api) =>
        api.MapPost("/models/check", CheckAsync).RequireAuthorization(Roles.Policies.Operate)
            .WithSummary("Send one small request to a configured backend and report latency, model and tokens")
            .Accepts<ModelCheckRequest>("application/json").Produces<ModelCheckResult>().ProducesProblem(400).ProducesProblem(502);

    private static async Task<IResult> CheckAsync(HttpContext context, ModelBackends backends, OpenAiBackends clients, TimeProvider time)
    {
        var (body, problem) = await Bodies.JsonAsync<ModelCheckRequest>(context.Request);
        if (problem is not null)
        {
            return problem;
        }
        if (body!.Backend is null || !backends.All.TryGetValue(body.Backend, out var backend))
        {
            return Problems.BadRequest("no such backend", [backends.All.Count == 0
                ? "backend: none are configured on this server (Mimicry:Backends)"
                : $"backend: must be one of {string.Join(", ", backends.All.Keys.Order(StringComparer.Ordinal))} (got '{Bodies.Shown(body.Backend ?? "")}')"]);
        }
        var model = body.Model ?? (backend.Models.Count > 0 ? backend.Models[0] : null);
        if (string.IsNullOrWhiteSpace(model) || model.Length > 200 || model.Any(char.IsControl) || (backend.Models.Count > 0 && !backend.Models.Contains(model, StringComparer.Ordinal)))
        {
            return Problems.BadRequest("no such model", [backend.Models.Count > 0
                ? $"model: backend '{backend.Name}' allows {string.Join(", ", backend.Models)}"
                : "model: required (this backend lists no models)"]);
        }
        var spec = new OpenAiSpec("", model, null, null, 16, false, TimeSpan.FromSeconds(30), 0, backend.Limits, backend.Prices, DefaultPrompt.Spec, backend.Name);
        var prompt = new PromptSpec("You are checking that a model endpoint works.", "Reply with the single word OK.\n{{notebook}}", "check");
        var request = new SessionRequest(new SessionKey("models-check", 0, 1, 0), time.GetUtcNow(), new ResearcherSpec("check", "Check", ""), "Does it work?", [], 1,
            new SimulatorSpec("openai", new SyntheticSpec(1, 2, 1, 0), TimeSpan.Zero, 1, NotebookAccess.Full, spec));
        ModelAnswer answer;
        try
        {
            answer = await OpenAiCaller.CallAsync(clients.Client(spec), spec, PromptBuilder.Build(prompt, request), seed: null, time, context.RequestAborted);
        }
        catch (ModelCallException ex)
        {
            // The message can quote the model server's own text: a client shows it inert.
            return Problems.Result(502, "The backend failed", $"backend '{backend.Name}' ({model}): {ex.Message}");
        }
        return Results.Ok(new ModelCheckResult(backend.Name, model, answer.Model, Math.Round(answer.Latency.TotalMilliseconds, 1), answer.InputTokens, answer.OutputTokens,
            backend.Prices.Cost(answer.InputTokens, answer.OutputTokens), backend.Prices.Currency, answer.Text));
    }
}
