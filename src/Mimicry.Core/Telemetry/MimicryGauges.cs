using System.Collections.Concurrent;
using System.Diagnostics.Metrics;

namespace Mimicry.Telemetry;

/// <summary>
/// What the observable gauges report, set by whoever knows it on this silo: a loop's grain its budget, the drift
/// tracker a loop's statistic, a backend's gate its concurrency limit. Bounded: at most <see cref="MaxEntries"/>
/// of each (beyond that the oldest are not replaced, the new ones are dropped: gauges are a view, not a record).
/// </summary>
public static class MimicryGauges
{
    public const int MaxEntries = 4096;

    private static readonly ConcurrentDictionary<string, double> LoopBudgets = new(StringComparer.Ordinal);
    private static readonly ConcurrentDictionary<string, double> LoopDrift = new(StringComparer.Ordinal);
    private static readonly ConcurrentDictionary<string, Func<double>> Limits = new(StringComparer.Ordinal);

    public static void SetBudget(string loop, double maxBits) => Set(LoopBudgets, loop, maxBits);

    public static void ForgetLoop(string loop)
    {
        LoopBudgets.TryRemove(loop, out _);
        LoopDrift.TryRemove(loop, out _);
    }

    public static void SetDrift(string loop, double cusum) => Set(LoopDrift, loop, cusum);

    /// <summary>Registers a backend's limit, read when metrics are collected.</summary>
    public static void WatchConcurrency(string backend, Func<double> limit)
    {
        if (Limits.Count < MaxEntries)
        {
            Limits.TryAdd(backend, limit);
        }
    }

    internal static IEnumerable<Measurement<double>> Budgets() =>
        LoopBudgets.Select(p => new Measurement<double>(p.Value, new KeyValuePair<string, object?>(MimicryTelemetry.LoopTag, p.Key)));

    internal static IEnumerable<Measurement<double>> Drift() =>
        LoopDrift.Select(p => new Measurement<double>(p.Value, new KeyValuePair<string, object?>(MimicryTelemetry.LoopTag, p.Key)));

    internal static IEnumerable<Measurement<double>> ConcurrencyLimits() =>
        Limits.Select(p => new Measurement<double>(p.Value(), new KeyValuePair<string, object?>(MimicryTelemetry.BackendTag, p.Key)));

    private static void Set(ConcurrentDictionary<string, double> values, string key, double value)
    {
        if (values.Count < MaxEntries || values.ContainsKey(key))
        {
            values[key] = value;
        }
    }
}
