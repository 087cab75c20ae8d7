using System.Collections.Concurrent;
using Mimicry.Probes;
using Mimicry.Spec;
using Mimicry.Storage;

namespace Mimicry.Grains.Calibration;

/// <summary>
/// The drift test's inputs for each loop, kept on this silo and brought up to date from the store's changed scores
/// only (<see cref="INotebookStore.ReadProbeScoresAsync"/>), so a sampled day costs a read of what changed since the
/// last look, not of every probe with its notebook. Scores changed on other silos arrive the same way. The test
/// itself stays the pure fold <see cref="DriftMonitor.Evaluate"/> over the scores in the order of simulated days.
/// </summary>
public sealed class DriftTracker(IProbeStore store)
{
    /// <summary>Loops whose scores this silo keeps; beyond it, all are dropped and re-read when next needed.</summary>
    private const int MaxLoops = 1024;

    private readonly ConcurrentDictionary<string, LoopScores> _loops = new(StringComparer.Ordinal);

    public async Task<DriftState> EvaluateAsync(string loop, DriftTestSpec test)
    {
        if (_loops.Count >= MaxLoops && !_loops.ContainsKey(loop))
        {
            _loops.Clear();
        }
        var scores = _loops.GetOrAdd(loop, _ => new LoopScores());
        await scores.Gate.WaitAsync();
        try
        {
            var changes = await store.ReadProbeScoresAsync(loop, scores.Mark);
            scores.Mark = changes.Next;
            var state = scores.Apply(changes.Changed, test);
            Mimicry.Telemetry.MimicryGauges.SetDrift(loop, state.Cusum);
            return state;
        }
        finally
        {
            scores.Gate.Release();
        }
    }

    /// <summary>
    /// One loop's scores in the order of simulated days, then branches, then probe ids, and the test folded over
    /// them. Scores that come after every one already folded (the usual case: a new sampled day) are folded on; a
    /// change to a folded score, or one that sorts before it (a late answer, an acknowledgement), refolds them all.
    /// </summary>
    private sealed class LoopScores
    {
        private readonly SortedDictionary<(int Day, int Branch, string Id), (double Score, bool Acknowledged)> _ordered = new(Order.Instance);
        private DriftFold? _fold;
        private DriftTestSpec? _test;
        private (int Day, int Branch, string Id)? _last;

        public SemaphoreSlim Gate { get; } = new(1, 1);

        public long Mark { get; set; }

        public DriftState Apply(IReadOnlyList<ProbeScore> changed, DriftTestSpec test)
        {
            var refold = _fold is null || _test != test;
            var appended = new List<(int Day, int Branch, string Id)>();
            foreach (var s in changed)
            {
                var key = (s.Day, s.Branch, s.Id);
                var value = (s.Score, s.Acknowledged);
                if (_ordered.TryGetValue(key, out var old))
                {
                    refold |= old != value;
                }
                else
                {
                    refold |= _last is { } last && Order.Instance.Compare(key, last) < 0;
                    appended.Add(key);
                }
                _ordered[key] = value;
            }
            if (refold)
            {
                (_fold, _test) = (new DriftFold(test), test);
                foreach (var (key, (score, acknowledged)) in _ordered)
                {
                    _fold.Add(key.Id, score, acknowledged);
                }
            }
            else
            {
                appended.Sort(Order.Instance);
                foreach (var key in appended)
                {
                    var (score, acknowledged) = _ordered[key];
                    _fold!.Add(key.Id, score, acknowledged);
                }
            }
            foreach (var key in appended)
            {
                _last = _last is { } last && Order.Instance.Compare(last, key) >= 0 ? last : key;
            }
            return _fold!.State;
        }
    }

    private sealed class Order : IComparer<(int Day, int Branch, string Id)>
    {
        public static readonly Order Instance = new();

        public int Compare((int Day, int Branch, string Id) a, (int Day, int Branch, string Id) b)
        {
            var c = a.Day.CompareTo(b.Day);
            if (c == 0)
            {
                c = a.Branch.CompareTo(b.Branch);
            }
            return c != 0 ? c : string.CompareOrdinal(a.Id, b.Id);
        }
    }
}
