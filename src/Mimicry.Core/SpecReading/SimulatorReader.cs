using Mimicry.Spec;

namespace Mimicry.SpecReading;

/// <summary>Reads the <c>simulator</c> section. Only fields of the chosen kind are accepted.</summary>
internal static class SimulatorReader
{
    public static readonly SimulatorSpec Default = new(
        "synthetic", new SyntheticSpec(Lemmas: 8, Alphabet: 26, Attempts: 3, InvalidRate: 0), TimeSpan.Zero, 1024, NotebookAccess.Full);

    public static SimulatorSpec? Read(SpecFields parent, SpecContext context)
    {
        var f = parent.Object("simulator", required: false);
        if (f is null)
        {
            return parent.Has("simulator") ? null : Default;
        }
        var kind = f.Choice("kind", required: true, "synthetic", "openai");
        if (kind == "openai")
        {
            return OpenAiReader.Read(f, context);
        }
        var d = Default.Synthetic;
        var lemmas = f.Int("lemmas", false, 1, 10_000) ?? (f.Has("lemmas") ? null : d.Lemmas);
        var alphabet = f.Int("alphabet", false, 2, 10_000) ?? (f.Has("alphabet") ? null : d.Alphabet);
        var attempts = f.Int("attempts", false, 1, 10_000) ?? (f.Has("attempts") ? null : d.Attempts);
        var invalid = f.Double("invalidRate", false, 0, 1, maxExclusive: true) ?? (f.Has("invalidRate") ? null : 0);
        var latency = f.Duration("latency", false, TimeSpan.Zero, TimeSpan.FromMinutes(10)) ?? (f.Has("latency") ? null : TimeSpan.Zero);
        var concurrency = f.Int("maxConcurrency", false, 1, 100_000) ?? (f.Has("maxConcurrency") ? null : Default.MaxConcurrency);
        var notebook = f.Choice("notebook", false, "full", "withheld") ?? (f.Has("notebook") ? null : "full");
        var driftFrom = f.Int("driftFromDay", false, 1, SpecReader.MaxDays) ?? (f.Has("driftFromDay") ? null : 1);
        var driftAmount = f.Double("driftAmount", false, 0, 1) ?? (f.Has("driftAmount") ? null : 0);
        var tamperDays = ReadDays(f, "tamperDays");
        if (attempts is not null && alphabet is not null && attempts > alphabet)
        {
            f.Error("attempts", $"must be at most alphabet ({alphabet}) (got {attempts})");
            attempts = null;
        }
        f.RejectUnknown();
        if (kind is null || lemmas is null || alphabet is null || attempts is null || invalid is null || latency is null || concurrency is null || notebook is null
            || driftFrom is null || driftAmount is null || tamperDays is null)
        {
            return null;
        }
        return new SimulatorSpec(
            kind,
            new SyntheticSpec(lemmas.Value, alphabet.Value, attempts.Value, invalid.Value, driftAmount > 0 ? driftFrom.Value : 0, driftAmount.Value,
                tamperDays.Count > 0 ? tamperDays : null),
            latency.Value,
            concurrency.Value,
            notebook == "full" ? NotebookAccess.Full : NotebookAccess.Withheld);
    }

    /// <summary>A list of day numbers (empty when absent), or null when invalid.</summary>
    private static List<int>? ReadDays(SpecFields f, string key)
    {
        var days = new List<int>();
        var ok = true;
        foreach (var (node, path) in f.List(key, required: false) ?? [])
        {
            if (node is System.Text.Json.Nodes.JsonValue v && v.GetValueKind() == System.Text.Json.JsonValueKind.Number && v.TryGetValue<long>(out var day)
                && day is >= 1 and <= SpecReader.MaxDays)
            {
                days.Add((int)day);
            }
            else
            {
                f.Errors.Add($"{path}: must be a day number from 1 to {SpecReader.MaxDays}");
                ok = false;
            }
        }
        return ok ? days : null;
    }
}
