using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Mimicry.Calibration;
using Mimicry.SpecReading;
using Mimicry.Text;
using Mimicry.Tripwires;

namespace Mimicry.Cli.Commands;

/// <summary>
/// <c>mimicry tripwires check FILE [--anchor DATE] [--spec SPEC] [--json]</c>: runs the tripwires over a text file and
/// prints each verdict, so users can try their settings on texts they expect to trip, and not.
/// </summary>
internal static class TripwiresCommand
{
    public static Command Create()
    {
        var file = new Argument<FileInfo>("file") { Description = "A text file to check, as if it were a candidate notebook entry" };
        var anchor = new Option<string?>("--anchor") { Description = "The day's anchor (yyyy-mm-dd or ISO 8601); default: the spec's anchor, else now" };
        var spec = new Option<FileInfo?>("--spec") { Description = "A loop spec whose tripwires section (patterns, references, thresholds) and researcher to use" };
        var json = CommonOptions.Json("Print the verdicts as JSON");
        var check = new Command("check", "Run the tripwires over a text file and print each verdict (exit 3 if any tripped)") { file, anchor, spec, json };
        check.SetAction((parse, ct) => CheckAsync(parse.GetRequiredValue(file), parse.GetValue(anchor), parse.GetValue(spec), parse.GetValue(json), ct));
        var corpus = new Argument<FileInfo>("corpus") { Description = "A labelled corpus: JSON Lines with id, label (trip|benign), category, subcategory, anchor, text (tests/tripwire-corpus/README.md)" };
        var misses = new Option<bool>("--misses") { Description = "Also list each text the detectors got wrong, with the detector and words that tripped (use on a development set only)" };
        var evalJson = CommonOptions.Json("Print the scores as JSON");
        var eval = new Command("eval", "Score the offline detectors on a labelled corpus: recall per trip category, false hits per benign one") { corpus, misses, evalJson };
        eval.SetAction((parse, ct) => EvalAsync(parse.GetRequiredValue(corpus), parse.GetValue(misses), parse.GetValue(evalJson), ct));
        return new Command("tripwires", "Detectors for entries that look like they come from outside the researcher's world") { check, eval };
    }

    private static async Task<int> EvalAsync(FileInfo file, bool misses, bool json, CancellationToken ct)
    {
        if (!file.Exists)
        {
            throw new UserInputException($"corpus: no such file: {file.FullName}");
        }
        IReadOnlyList<CorpusText> texts;
        try
        {
            texts = TripwireCorpus.Parse(await File.ReadAllTextAsync(file.FullName, ct), file.Name);
        }
        catch (TripwireCorpusException ex)
        {
            throw new UserInputException(ex.Message);
        }
        var report = TripwireEvaluation.Run(texts);
        if (json)
        {
            await Console.Out.WriteLineAsync(JsonSerializer.Serialize(new
            {
                texts = texts.Count,
                recall = report.Trips.Rate,
                falseHits = report.Benign.Rate,
                scores = report.Scores.Select(s => new { category = s.Category, subcategory = s.Subcategory, shouldTrip = s.ShouldTrip, texts = s.Texts, tripped = s.Tripped, rate = s.Rate }),
                misses = misses ? report.Misses.Select(m => new { id = m.Id, category = m.Category, subcategory = m.Subcategory, shouldTrip = m.ShouldTrip, tripped = m.Tripped.Select(v => new { detector = v.Detector, detail = v.Detail }) }) : null,
            }));
            return ExitCodes.Done;
        }
        await Console.Out.WriteLineAsync($"{"category",-10} {"subcategory",-20} {"texts",6} {"tripped",8} {"",8}");
        foreach (var s in report.Scores)
        {
            var what = s.ShouldTrip ? "recall" : "false hits";
            await Console.Out.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"{InertText.ForTerminal(s.Subcategory is null ? s.Category : ""),-10} {InertText.ForTerminal(s.Subcategory ?? "(all)"),-20} {s.Texts,6} {s.Tripped,8} {s.Rate * 100,7:0.0} % {what}"));
        }
        await Console.Out.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"overall: recall {report.Trips.Rate * 100:0.0} % ({report.Trips.Tripped} of {report.Trips.Texts} should-trip texts caught), false hits {report.Benign.Rate * 100:0.0} % ({report.Benign.Tripped} of {report.Benign.Texts} benign texts flagged)"));
        if (misses)
        {
            foreach (var m in report.Misses)
            {
                var why = m.ShouldTrip ? "missed" : "flagged: " + string.Join("; ", m.Tripped.Select(v => $"{v.Detector}: {v.Detail}"));
                await Console.Out.WriteLineAsync($"{InertText.ForTerminal(m.Id)} {InertText.ForTerminal(m.Category)}/{InertText.ForTerminal(m.Subcategory)} {InertText.ForTerminal(why)}");
            }
        }
        return ExitCodes.Done;
    }

    private static async Task<int> CheckAsync(FileInfo file, string? anchorText, FileInfo? specFile, bool json, CancellationToken ct)
    {
        if (!file.Exists)
        {
            throw new UserInputException($"file: no such file: {file.FullName}");
        }
        var loop = specFile is null ? null : SpecReader.Load(specFile.FullName, DateTimeOffset.UtcNow);
        DateTimeOffset anchor;
        if (anchorText is null)
        {
            // The spec's first day (for follow anchors: now minus the lag), else now.
            anchor = loop is null ? DateTimeOffset.UtcNow : Mimicry.Anchors.AnchorClock.For(loop.Anchor, 1, DateTimeOffset.UtcNow);
        }
        else if (!DateTimeOffset.TryParse(anchorText, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out anchor))
        {
            throw new UserInputException($"--anchor: not a date (got '{anchorText}'); use yyyy-mm-dd or an ISO 8601 time");
        }
        var text = await File.ReadAllTextAsync(file.FullName, ct);
        var settings = loop?.Tripwires ?? TripwireSet.Default;
        IReadOnlyList<string> references = loop is null ? [] : [loop.Researcher.Description, loop.Question];
        using var scorer = new MiniLmScorer();
        var verdicts = TripwireSet.Check(text, anchor, settings, references.Where(r => r.Length > 0).ToList(), references.Count > 0 || settings.References.Count > 0 ? scorer.Similarity : null);
        if (json)
        {
            await Console.Out.WriteLineAsync(JsonSerializer.Serialize(verdicts.Select(v => new { detector = v.Detector, tripped = v.Tripped, detail = v.Detail })));
        }
        else
        {
            foreach (var v in verdicts)
            {
                await Console.Out.WriteLineAsync($"{(v.Tripped ? "TRIPPED" : "ok     ")}  {InertText.ForTerminal(v.Detector),-22} {InertText.ForTerminal(v.Detail)}");
            }
            if (!verdicts.Any(v => v.Detector == "out-of-distribution"))
            {
                await Console.Out.WriteLineAsync(settings.OutOfDistribution <= 0
                    ? "skipped  out-of-distribution    turned off (tripwires.outOfDistribution: 0)"
                    : "skipped  out-of-distribution    no reference texts (give --spec with a researcher description or tripwires.references)");
            }
        }
        return verdicts.Any(v => v.Tripped) ? ExitCodes.Tripped : ExitCodes.Done;
    }
}
