using System.Text.Json;

namespace Mimicry.IntegrationTests.Calibration;

/// <summary>Synthetic loops with calibration, run by the real CLI: drift pauses the loop; no drift lets it complete.</summary>
public sealed class CalibrationLoopTests
{
    internal static string Yaml(string name, double drift, int fromDay = 16, string calibrator = "synthetic", int days = 40) => $$"""
        name: {{name}}
        researcher: { id: ada, name: Ada Example }
        question: Which symbol does each lemma hold?
        anchor: { policy: fixed, time: 2026-11-01T09:00:00Z }
        days: {{days}}
        branches: 6
        width: 1
        simulator: { kind: synthetic, lemmas: 60, alphabet: 26, attempts: 3, driftFromDay: {{fromDay}}, driftAmount: {{drift.ToString(System.Globalization.CultureInfo.InvariantCulture)}} }
        calibration:
          calibrator: { id: ada-herself, kind: {{calibrator}} }
          rate: 0
          minEvery: 1
          expireAfter: 7d
        seed: 3
        """;

    internal static async Task<string> SpecFileAsync(string yaml)
    {
        var path = Path.Combine(Path.GetTempPath(), $"calibration-{Guid.NewGuid():N}.yaml");
        await File.WriteAllTextAsync(path, yaml);
        return path;
    }

    private static async Task<JsonElement> StatusAsync(string data, string loop)
    {
        var status = await CliProcess.RunAsync(TimeSpan.FromMinutes(1), "status", "--data", data, "--json");
        Assert.True(status.ExitCode == 0, status.Stderr);
        using var doc = JsonDocument.Parse(status.Stdout);
        return doc.RootElement.EnumerateArray().Single(l => l.GetProperty("loop").GetString() == loop).Clone();
    }

    [Fact]
    public async Task InjectedDrift_PausesTheLoop_WithEvidence_SoonAfterTheOnset()
    {
        var data = CliProcess.TempFolder("drift");
        var run = await CliProcess.RunAsync(TimeSpan.FromMinutes(3), "run", await SpecFileAsync(Yaml("drifting", drift: 0.6)), "--data", data);
        Assert.True(run.ExitCode == 0, run.Stderr + run.Stdout);
        var status = await StatusAsync(data, "drifting");
        Assert.Equal("paused", status.GetProperty("status").GetString());
        var reason = status.GetProperty("reason").GetString()!;
        Assert.StartsWith("drift: the drift test fired (CUSUM ", reason, StringComparison.Ordinal);
        Assert.Matches("evidence: drifting/[0-9]+/[0-9]+ scored 0\\.[0-9]{3}", reason);
        // The alarm came after the onset (day 16) and soon after it. The evidence is the test's current run of
        // below-baseline scores in day order, which can begin with a naturally low score just before the onset.
        var days = System.Text.RegularExpressions.Regex.Matches(reason, "drifting/[0-9]+/([0-9]+) scored").Select(m => int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture)).ToList();
        Assert.InRange(days.Max(), 16, 16 + 10);
        Assert.True(status.GetProperty("days").GetInt64() < 6 * 40);
        var calibration = status.GetProperty("calibration");
        // Not before the baseline was learned and a drifted day was scored after it. (How many probes that takes
        // depends on the order branches reach their days: an earlier version asked for 16, and a day-16 probe of a
        // fast branch once arrived as the 15th.)
        Assert.True(calibration.GetProperty("answered").GetInt32() > Mimicry.SpecReading.SpecReader.Parse("d.yaml", Yaml("drifting", drift: 0.6), DateTimeOffset.UtcNow).Calibration!.Drift.Baseline, status.ToString());
        Assert.StartsWith("fired", calibration.GetProperty("drift").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task WithoutDrift_TheLoopCompletes_AndEveryProbeIsAnswered()
    {
        var data = CliProcess.TempFolder("nodrift");
        var run = await CliProcess.RunAsync(TimeSpan.FromMinutes(3), "run", await SpecFileAsync(Yaml("steady", drift: 0)), "--data", data);
        Assert.True(run.ExitCode == 0, run.Stderr + run.Stdout);
        var status = await StatusAsync(data, "steady");
        Assert.Equal("completed", status.GetProperty("status").GetString());
        var calibration = status.GetProperty("calibration");
        Assert.Equal(40, calibration.GetProperty("asked").GetInt32()); // one probe a day (minEvery 1)
        Assert.Equal(40, calibration.GetProperty("answered").GetInt32());
        Assert.StartsWith("watching", calibration.GetProperty("drift").GetString(), StringComparison.Ordinal);
    }
}
