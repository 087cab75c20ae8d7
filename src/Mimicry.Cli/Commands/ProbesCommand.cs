using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Mimicry.Api.Output;
using Mimicry.Cli.Output;
using Mimicry.Grains;
using Mimicry.Status;

namespace Mimicry.Cli.Commands;

/// <summary>
/// <c>mimicry probes list|show|answer|rate</c>: the calibrator's inbox, on the local data folder or a cluster. Blind
/// first: <c>show</c> reveals the simulated answer only once the probe has been answered.
/// </summary>
internal static class ProbesCommand
{
    public static Command Create()
    {
        var list = new Command("list", "List probes (all loops, or one) and their state");
        var loopOption = new Option<string?>("--loop") { Description = "Only this loop's probes" };
        var researcher = new Option<string?>("--researcher") { Description = "Only probes about this researcher (id)" };
        var json = CommonOptions.Json("Print a JSON array");
        list.Add(loopOption);
        list.Add(researcher);
        list.Add(json);
        ApiCommand.Wire(list, async (session, parse, ct) =>
        {
            await ActAsAsync(session, null, parse);
            return await ListAsync(session, parse.GetValue(loopOption), parse.GetValue(researcher), parse.GetValue(json));
        });

        var id = new Argument<string>("id") { Description = "The probe's id (loop/branch/day), from 'mimicry probes list'" };
        var show = new Command("show", "Show a probe: the date, the question and the notebook as the session saw it (the simulated answer only after yours)") { id };
        ApiCommand.Wire(show, async (session, parse, ct) =>
        {
            await ActAsAsync(session, null, parse);
            return await ShowAsync(session, parse.GetRequiredValue(id));
        });

        var answerId = new Argument<string>("id") { Description = "The probe's id" };
        var textFile = new Option<FileInfo>("--text-file") { Description = "A file holding your answer: what you would write in the notebook that day", Required = true };
        var asOption = As();
        var answer = new Command("answer", "Answer a probe, blind: what would you have written that day?") { answerId, textFile, asOption };
        ApiCommand.Wire(answer, async (session, parse, ct) =>
        {
            var file = parse.GetRequiredValue(textFile);
            if (!file.Exists)
            {
                throw new UserInputException($"--text-file: no such file: {file.FullName}");
            }
            var text = await File.ReadAllTextAsync(file.FullName, ct);
            await ActAsAsync(session, asOption, parse);
            var probe = Output.Wire.Probe(await session.Client.AnswerProbeAsync(CheckId(parse.GetRequiredValue(answerId)), text, ct));
            await ReportPauseAsync(session, probe.Loop);
            await Console.Out.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"Answered {probe.Id}: similarity to the simulated answer {probe.Similarity:0.000}. See it with 'mimicry probes show {probe.Id}', rate it with 'mimicry probes rate {probe.Id} --score 1..5'."));
            return ExitCodes.Done;
        });

        var rateId = new Argument<string>("id") { Description = "The probe's id" };
        var score = new Option<int>("--score") { Description = "How well the simulated answer matches what you would have written: 1 (not at all) to 5 (as if you wrote it)", Required = true };
        var rateAs = As();
        var rate = new Command("rate", "Rate a probe's simulated answer (after answering it yourself)") { rateId, score, rateAs };
        ApiCommand.Wire(rate, async (session, parse, ct) =>
        {
            await ActAsAsync(session, rateAs, parse);
            var probe = Output.Wire.Probe(await session.Client.RateProbeAsync(CheckId(parse.GetRequiredValue(rateId)), parse.GetValue(score), ct));
            await ReportPauseAsync(session, probe.Loop);
            await Console.Out.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"Rated {probe.Id} {probe.Rating} of 5: score {probe.Score:0.000}."));
            return ExitCodes.Done;
        });

        return new Command("probes", "The calibrator's inbox: situations the simulator faced, put to the real researcher") { list, show, answer, rate };
    }

    private static Option<string?> As() => new("--as")
    {
        Description = "Locally: answer as this calibrator (the calibrator id in the spec); default: $MIMICRY_CALIBRATOR, else you. On a server you are who your token says",
    };

    /// <summary>Locally, the calibrator named by --as or $MIMICRY_CALIBRATOR signs in as themselves (a researcher) for this command.</summary>
    private static async Task ActAsAsync(ApiSession session, Option<string?>? option, ParseResult parse)
    {
        var who = option is not null && parse.GetValue(option) is { Length: > 0 } given ? given
            : session.Folder is not null && Environment.GetEnvironmentVariable("MIMICRY_CALIBRATOR") is { Length: > 0 } env ? env : null;
        if (who is not null && option is not null)
        {
            await session.ActAsAsync(who, "researcher");
        }
    }

    private static async Task ReportPauseAsync(ApiSession session, string loop)
    {
        Mimicry.Client.LoopView paused;
        try
        {
            paused = await session.Reader.GetLoopAsync(loop);
        }
        catch (Mimicry.Client.MimicryApiException)
        {
            return; // a researcher may not read loops: the operators see the pause
        }
        if (paused.State == "paused")
        {
            await Console.Error.WriteLineAsync($"Loop '{loop}' is paused: {Mimicry.Text.InertText.ForTerminal(paused.Reason ?? "")}. After a look, continue it with: mimicry resume {loop}");
        }
    }

    /// <summary>"loop/branch/day", checked before it becomes a URL.</summary>
    private static string CheckId(string id)
    {
        var parts = id.Split('/');
        if (parts.Length != 3 || !Mimicry.SpecReading.SpecReader.IsSlug(parts[0]) || !parts.Skip(1).All(p => int.TryParse(p, NumberStyles.None, CultureInfo.InvariantCulture, out _)))
        {
            throw new UserInputException($"no probe '{Mimicry.Text.InertText.ForTerminal(id)}'");
        }
        return id;
    }

    private static async Task<int> ListAsync(ApiSession session, string? loop, string? researcher, bool json)
    {
        var probes = (await session.Client.ListProbesAsync(loop)).Select(Output.Wire.Probe).Where(p => researcher is null || p.Researcher == researcher).ToList();
        if (json)
        {
            await Console.Out.WriteLineAsync(JsonSerializer.Serialize(probes.Select(p => new Dictionary<string, object?>
            {
                ["id"] = p.Id,
                ["loop"] = p.Loop,
                ["researcher"] = p.Researcher,
                ["calibrator"] = p.Calibrator,
                ["state"] = p.State.ToString().ToLowerInvariant(),
                ["anchor"] = p.Anchor,
                ["created"] = p.Created,
                ["expires"] = p.Expires,
                ["score"] = p.Score,
                ["rating"] = p.Rating,
            })));
            return ExitCodes.Done;
        }
        if (probes.Count == 0)
        {
            await Console.Out.WriteLineAsync("No probes.");
            return ExitCodes.Done;
        }
        foreach (var p in probes)
        {
            await Console.Out.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"{p.Id}  {p.State.ToString().ToLowerInvariant()}  {p.Researcher} answered by {p.Calibrator}  anchor {p.Anchor:yyyy-MM-dd}  expires {p.Expires:yyyy-MM-dd HH:mm}Z{(p.Score is { } s ? $"  score {s:0.000}" : "")}"));
        }
        return ExitCodes.Done;
    }

    private static async Task<int> ShowAsync(ApiSession session, string id)
    {
        var p = Output.Wire.Probe(await session.Client.GetProbeAsync(CheckId(id)));
        var o = Console.Out;
        await o.WriteLineAsync($"# Probe {p.Id} ({p.State.ToString().ToLowerInvariant()})");
        await o.WriteLineAsync();
        await o.WriteLineAsync($"You are {p.Researcher}. Today is {p.Anchor.UtcDateTime.ToString("dddd, d MMMM yyyy", CultureInfo.InvariantCulture)}.");
        await o.WriteLineAsync($"Question: {Mimicry.Text.InertText.ForTerminal(p.Question)}");
        await o.WriteLineAsync();
        await o.WriteLineAsync($"## Your notebook as it stood that morning ({p.Notebook.Count} entries)");
        foreach (var (entry, i) in p.Notebook.Select((e, i) => (e, i)))
        {
            await o.WriteLineAsync();
            await o.WriteLineAsync($"### Entry {i + 1}");
            await o.WriteLineAsync(NotebookWriter.Fenced(entry));
        }
        await o.WriteLineAsync();
        if (p.State is ProbeState.Open or ProbeState.Expired)
        {
            await o.WriteLineAsync(p.State == ProbeState.Open
                ? $"Write what you would have written that day, then: mimicry probes answer {p.Id} --text-file FILE. (The simulated answer is shown after yours.)"
                : "This probe expired unanswered.");
            return ExitCodes.Done;
        }
        await o.WriteLineAsync("## Your answer");
        await o.WriteLineAsync(NotebookWriter.Fenced(p.Answer ?? ""));
        await o.WriteLineAsync();
        await o.WriteLineAsync("## The simulated answer");
        await o.WriteLineAsync(NotebookWriter.Fenced(p.Simulated));
        await o.WriteLineAsync();
        await o.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"Similarity {p.Similarity:0.000}; {(p.Rating is { } r ? $"your rating {r} of 5; score {p.Score:0.000}." : $"not rated yet: mimicry probes rate {p.Id} --score 1..5")}"));
        return ExitCodes.Done;
    }
}
