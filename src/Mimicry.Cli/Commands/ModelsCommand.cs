using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Mimicry.Models.OpenAi;
using Mimicry.Prompts;
using Mimicry.Sessions;
using Mimicry.Spec;
using Mimicry.SpecReading;

namespace Mimicry.Cli.Commands;

/// <summary>
/// <c>mimicry models check --spec SPEC</c>: one small request to the spec's backend, so a user learns that the URL,
/// key and model work (and what a call costs in time and tokens) before starting thousands of sessions.
/// </summary>
internal static class ModelsCommand
{
    public static Command Create()
    {
        var spec = new Option<FileInfo?>("--spec") { Description = "Locally: a loop spec with simulator kind openai (its URL and key variable are used here)" };
        var backend = new Option<string?>("--backend") { Description = "On a server (--server, or the data folder's): one of its configured backends, checked from the silo that holds the key" };
        var model = new Option<string?>("--model") { Description = "With --backend: the model to try (default: the backend's first allowed one)" };
        var json = CommonOptions.Json("Print the result as JSON");
        var check = new Command("check", "Send one small request to a model backend and report latency, model and token usage") { spec, backend, model, json };
        var connection = new ApiConnection();
        connection.AddTo(check);
        check.SetAction(async (parse, ct) =>
        {
            if (parse.GetValue(backend) is { } name)
            {
                if (parse.GetValue(spec) is not null)
                {
                    throw new UserInputException("--spec: give --spec (a local check) or --backend (a server's backend), not both");
                }
                await using var session = await connection.OpenAsync(parse)
                    ?? throw new UserInputException($"no Mimicry data in {DataFolder.Resolve(parse.GetValue(connection.Data))}; give --server URL");
                return await CheckBackendAsync(session, name, parse.GetValue(model), parse.GetValue(json), ct);
            }
            var file = parse.GetValue(spec) ?? throw new UserInputException("--spec: required (a spec whose simulator to check), or --backend NAME on a server");
            return await CheckAsync(file, parse.GetValue(json), ct);
        });
        return new Command("models", "Model backends") { check };
    }

    private static async Task<int> CheckBackendAsync(ApiSession session, string backend, string? model, bool json, CancellationToken ct)
    {
        Mimicry.Client.ModelCheckResult r;
        try
        {
            r = await session.Client.CheckModelAsync(new Mimicry.Client.ModelCheckRequest(backend, model), ct);
        }
        catch (Mimicry.Client.MimicryApiException ex) when (ex.Status == System.Net.HttpStatusCode.BadGateway)
        {
            await Console.Error.WriteLineAsync($"mimicry: {Mimicry.Text.InertText.ForTerminal(ex.Detail ?? ex.Title).ReplaceLineEndings(" ")}");
            return ExitCodes.Failure;
        }
        if (json)
        {
            await Console.Out.WriteLineAsync(JsonSerializer.Serialize(r, Mimicry.Client.MimicryJson.Options));
            return ExitCodes.Done;
        }
        await Console.Out.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"""
            backend {r.Backend} works (checked by {session.Where}).
              model      {r.Model} (answered by {Mimicry.Text.InertText.ForTerminal(r.AnsweredBy ?? "unknown")})
              latency    {r.LatencyMs:0} ms
              tokens     {r.InputTokens} in, {r.OutputTokens} out ({r.Cost:0.######} {r.Currency})
              reply      {Mimicry.Text.InertText.ForTerminal(r.Reply.Trim()).ReplaceLineEndings(" ")}
            """));
        return ExitCodes.Done;
    }

    private static async Task<int> CheckAsync(FileInfo file, bool json, CancellationToken ct)
    {
        var loop = SpecReader.Load(file.FullName, DateTimeOffset.UtcNow);
        var openAi = loop.Simulator.OpenAi
            ?? throw new UserInputException($"{file.Name}: simulator.kind: is '{loop.Simulator.Kind}'; 'models check' checks model backends (kind: openai)");
        var prompt = new PromptSpec(
            "You are checking that a model endpoint works.",
            "Reply with the single word OK.\n{{notebook}}",
            "check");
        var request = new SessionRequest(new SessionKey(loop.Name, 0, 1, 0), DateTimeOffset.UtcNow, loop.Researcher, loop.Question, [], loop.Seed, loop.Simulator);
        using var backends = new OpenAiBackends(new Mimicry.Models.Admission.SingleSiloShare(), TimeProvider.System);
        ModelAnswer answer;
        try
        {
            var client = backends.Client(openAi with { MaxOutputTokens = Math.Min(openAi.MaxOutputTokens, 16) });
            answer = await OpenAiCaller.CallAsync(client, openAi with { MaxOutputTokens = Math.Min(openAi.MaxOutputTokens, 16) },
                PromptBuilder.Build(prompt, request), seed: 1, TimeProvider.System, ct);
        }
        catch (ModelCallException ex)
        {
            // The message can quote the server's own error text: shown inert.
            await Console.Error.WriteLineAsync($"mimicry: {openAi.BaseUrl} ({openAi.Model}): {Mimicry.Text.InertText.ForTerminal(ex.Message)}");
            return ExitCodes.Failure;
        }
        var cost = openAi.Prices.Cost(answer.InputTokens, answer.OutputTokens);
        if (json)
        {
            await Console.Out.WriteLineAsync(JsonSerializer.Serialize(new Dictionary<string, object?>
            {
                ["baseUrl"] = openAi.BaseUrl,
                ["model"] = openAi.Model,
                ["answeredBy"] = answer.Model,
                ["latencyMs"] = Math.Round(answer.Latency.TotalMilliseconds, 1),
                ["inputTokens"] = answer.InputTokens,
                ["outputTokens"] = answer.OutputTokens,
                ["cost"] = cost,
                ["currency"] = openAi.Prices.Currency,
                ["reply"] = answer.Text,
            }));
            return ExitCodes.Done;
        }
        await Console.Out.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"""
            {openAi.BaseUrl} works.
              model      {openAi.Model} (answered by {Mimicry.Text.InertText.ForTerminal(answer.Model ?? "unknown")})
              latency    {answer.Latency.TotalMilliseconds:0} ms
              tokens     {answer.InputTokens} in, {answer.OutputTokens} out ({cost:0.######} {openAi.Prices.Currency})
              reply      {Mimicry.Text.InertText.ForTerminal(answer.Text.Trim()).ReplaceLineEndings(" ")}
            """));
        return ExitCodes.Done;
    }
}
