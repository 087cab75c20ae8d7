using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Mimicry.Calibration.Scoring;
using Mimicry.Cli.Output;
using Mimicry.Grains;
using Mimicry.Grains.Calibration;
using Mimicry.Status;
using Mimicry.Storage;

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
        Wire(list, (inbox, parse, ct) => ListAsync(inbox, parse.GetValue(loopOption), parse.GetValue(researcher), parse.GetValue(json)));

        var id = new Argument<string>("id") { Description = "The probe's id (loop/branch/day), from 'mimicry probes list'" };
        var show = new Command("show", "Show a probe: the date, the question and the notebook as the session saw it (the simulated answer only after yours)") { id };
        Wire(show, (inbox, parse, ct) => ShowAsync(inbox, parse.GetRequiredValue(id)));

        var answerId = new Argument<string>("id") { Description = "The probe's id" };
        var textFile = new Option<FileInfo>("--text-file") { Description = "A file holding your answer: what you would write in the notebook that day", Required = true };
        var asOption = As();
        var answer = new Command("answer", "Answer a probe, blind: what would you have written that day?") { answerId, textFile, asOption };
        Wire(answer, async (inbox, parse, ct) =>
        {
            var file = parse.GetRequiredValue(textFile);
            if (!file.Exists)
            {
                throw new UserInputException($"--text-file: no such file: {file.FullName}");
            }
            var probe = await inbox.AnswerAsync(parse.GetRequiredValue(answerId), Calibrator(parse, asOption), await File.ReadAllTextAsync(file.FullName, ct));
            await Console.Out.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"Answered {probe.Id}: similarity to the simulated answer {probe.Similarity:0.000}. See it with 'mimicry probes show {probe.Id}', rate it with 'mimicry probes rate {probe.Id} --score 1..5'."));
            return ExitCodes.Done;
        });

        var rateId = new Argument<string>("id") { Description = "The probe's id" };
        var score = new Option<int>("--score") { Description = "How well the simulated answer matches what you would have written: 1 (not at all) to 5 (as if you wrote it)", Required = true };
        var rateAs = As();
        var rate = new Command("rate", "Rate a probe's simulated answer (after answering it yourself)") { rateId, score, rateAs };
        Wire(rate, async (inbox, parse, ct) =>
        {
            var probe = await inbox.RateAsync(parse.GetRequiredValue(rateId), Calibrator(parse, rateAs), parse.GetValue(score));
            await Console.Out.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"Rated {probe.Id} {probe.Rating} of 5: score {probe.Score:0.000}."));
            return ExitCodes.Done;
        });

        return new Command("probes", "The calibrator's inbox: situations the simulator faced, put to the real researcher") { list, show, answer, rate };
    }

    private static Option<string?> As() => new("--as")
    {
        Description = "Who is answering (the calibrator id in the spec); default: $MIMICRY_CALIBRATOR, else your user name",
    };

    private static string Calibrator(ParseResult parse, Option<string?> option) =>
        parse.GetValue(option) is { Length: > 0 } given ? given
            : Environment.GetEnvironmentVariable("MIMICRY_CALIBRATOR") is { Length: > 0 } env ? env : Environment.UserName;

    private static void Wire(Command command, Func<Inbox, ParseResult, CancellationToken, Task<int>> action) =>
        LocalOrCluster.Wire<Inbox>(command, (store, _) => new LocalInbox(store), grains => new ClusterInbox(grains.GetGrain<ICalibrationGrain>(0)), action);

    private static async Task<int> ListAsync(Inbox inbox, string? loop, string? researcher, bool json)
    {
        var probes = (await inbox.ListAsync(loop)).Where(p => researcher is null || p.Researcher == researcher).ToList();
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

    private static async Task<int> ShowAsync(Inbox inbox, string id)
    {
        var p = await inbox.GetAsync(id) ?? throw new UserInputException($"no probe '{id}'");
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

    /// <summary>The inbox operations, on the local store or through the cluster's gateway.</summary>
    private abstract class Inbox
    {
        public abstract Task<IReadOnlyList<Probe>> ListAsync(string? loop);

        public abstract Task<Probe?> GetAsync(string id);

        public abstract Task<Probe> AnswerAsync(string id, string calibrator, string text);

        public abstract Task<Probe> RateAsync(string id, string calibrator, int score);
    }

    /// <summary>The inbox on the data folder; it owns the scorer that scores answers (the model loads on first use).</summary>
    private sealed class LocalInbox : Inbox, IDisposable
    {
        private readonly INotebookStore _store;
        private readonly MiniLmScorer _scorer = new();
        private readonly CalibrationService _calibration;

        public LocalInbox(INotebookStore store)
        {
            _store = store;
            _calibration = new CalibrationService(store, _scorer, Mimicry.Grains.MimicryClock.System);
        }

        public void Dispose() => _scorer.Dispose();

        public override Task<IReadOnlyList<Probe>> ListAsync(string? loop) => _calibration.ListAsync(loop);

        public override Task<Probe?> GetAsync(string id) => _calibration.GetAsync(id);

        public override Task<Probe> AnswerAsync(string id, string calibrator, string text) => Act(() => _calibration.AnswerAsync(id, calibrator, text));

        public override Task<Probe> RateAsync(string id, string calibrator, int score) => Act(() => _calibration.RateAsync(id, calibrator, score));

        private async Task<Probe> Act(Func<Task<(Probe Probe, Mimicry.Calibration.DriftState? Drift)>> action)
        {
            (Probe Probe, Mimicry.Calibration.DriftState? Drift) result;
            try
            {
                result = await action();
            }
            catch (ProbeRefusedException ex)
            {
                throw new UserInputException(ex.Message);
            }
            if (result.Drift is { Alarm: true } && await _calibration.SpecAsync(result.Probe.Loop) is { Calibration: { } c }
                && await _store.GetLoopAsync(result.Probe.Loop) is { State: RunState.Running })
            {
                // No silo may be running here: record the pause in the store; a running 'mimicry run' picks it up.
                var reason = CalibrationService.PauseReason(result.Drift, c.Drift);
                await _store.SetLoopStateAsync(result.Probe.Loop, RunState.Paused, reason);
                await Console.Error.WriteLineAsync($"Loop '{result.Probe.Loop}' is paused: {reason}. After a look, continue it with: mimicry resume {result.Probe.Loop}");
            }
            return result.Probe;
        }
    }

    private sealed class ClusterInbox(ICalibrationGrain grain) : Inbox
    {
        public override Task<IReadOnlyList<Probe>> ListAsync(string? loop) => grain.List(loop);

        public override Task<Probe?> GetAsync(string id) => grain.Get(id);

        public override Task<Probe> AnswerAsync(string id, string calibrator, string text) => Act(() => grain.Answer(id, calibrator, text));

        public override Task<Probe> RateAsync(string id, string calibrator, int score) => Act(() => grain.Rate(id, calibrator, score));

        private static async Task<Probe> Act(Func<Task<Probe>> action)
        {
            try
            {
                return await action();
            }
            catch (ArgumentException ex)
            {
                throw new UserInputException(ex.Message);
            }
        }
    }
}
