using System.Collections.Concurrent;
using Mimicry.Status;

namespace Mimicry.Storage;

/// <summary>A store that keeps everything in memory: for benchmarks (to separate store cost from runtime cost) and demos.</summary>
public sealed partial class InMemoryNotebookStore : INotebookStore
{
    private readonly ConcurrentDictionary<string, LoopRecord> _loops = new();
    private readonly ConcurrentDictionary<(string, int), BranchRecord> _branches = new();
    private readonly ConcurrentDictionary<(string, int), SortedList<int, DayRecord>> _days = new();
    private readonly ConcurrentDictionary<string, LoopTally> _tallies = new();
    private readonly Lock _probeGate = new();
    private readonly Dictionary<string, Probe> _probes = new(StringComparer.Ordinal);
    private readonly Dictionary<string, long> _scoreMarks = new(StringComparer.Ordinal);
    private long _scoreMark;

    public string Location => "memory";

    public Task<LoopRecord?> GetLoopAsync(string loop) => Task.FromResult(_loops.GetValueOrDefault(loop));

    public Task<IReadOnlyList<LoopRecord>> ListLoopsAsync() =>
        Task.FromResult<IReadOnlyList<LoopRecord>>(_loops.Values.OrderBy(l => l.Created).ToList());

    public Task<LoopRecord> CreateLoopAsync(LoopRecord record) => Task.FromResult(_loops.GetOrAdd(record.Loop, record));

    public Task SetLoopStateAsync(string loop, RunState state, string? reason)
    {
        _loops.AddOrUpdate(loop, _ => throw new InvalidOperationException($"no loop {loop}"), (_, l) => l with { State = state, Reason = reason, Updated = DateTimeOffset.UtcNow });
        return Task.CompletedTask;
    }

    public Task SetBranchStateAsync(BranchRecord record)
    {
        _branches.AddOrUpdate((record.Loop, record.Branch), record, (_, old) => BranchRecord.Later(old, record));
        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<BranchRecord>> ListFinishedBranchesAsync(string loop) =>
        Task.FromResult<IReadOnlyList<BranchRecord>>(_branches.Values.Where(b => b.Loop == loop).OrderBy(b => b.Branch).ToList());

    public Task<bool> AppendDayAsync(DayRecord day)
    {
        var days = _days.GetOrAdd((day.Loop, day.Branch), _ => []);
        lock (days)
        {
            if (!days.TryAdd(day.Day, day))
            {
                return Task.FromResult(false);
            }
            _tallies.GetOrAdd(day.Loop, _ => new LoopTally()).Add(day);
            return Task.FromResult(true);
        }
    }

    public Task<IReadOnlyList<DayRecord>> ReadDaysAsync(string loop, int branch)
    {
        if (!_days.TryGetValue((loop, branch), out var days))
        {
            return Task.FromResult<IReadOnlyList<DayRecord>>([]);
        }
        lock (days)
        {
            return Task.FromResult<IReadOnlyList<DayRecord>>(days.Values.ToList());
        }
    }

    public Task<LoopProgress> GetProgressAsync(string loop, int branches) =>
        Task.FromResult(_tallies.TryGetValue(loop, out var tally) ? tally.Snapshot(branches) : LoopProgress.Empty);

    public Task<IReadOnlyDictionary<int, int>> GetDaysPerBranchAsync(string loop) =>
        Task.FromResult(_tallies.TryGetValue(loop, out var tally) ? tally.DaysPerBranch() : new Dictionary<int, int>());

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    public Task<bool> AddProbeAsync(Probe probe)
    {
        lock (_probeGate)
        {
            if (!_probes.TryAdd(probe.Id, probe))
            {
                return Task.FromResult(false);
            }
            _scoreMarks[probe.Id] = ++_scoreMark;
            return Task.FromResult(true);
        }
    }

    public Task<Probe?> GetProbeAsync(string id)
    {
        lock (_probeGate)
        {
            return Task.FromResult(_probes.GetValueOrDefault(id));
        }
    }

    public Task<IReadOnlyList<Probe>> ListProbesAsync(string? loop)
    {
        lock (_probeGate)
        {
            return Task.FromResult<IReadOnlyList<Probe>>(_probes.Values.Where(p => loop is null || p.Loop == loop).OrderBy(p => p.Created).ThenBy(p => p.Id, StringComparer.Ordinal).ToList());
        }
    }

    public Task<bool> UpdateProbeAsync(Probe probe, ProbeState expected)
    {
        lock (_probeGate)
        {
            if (!_probes.TryGetValue(probe.Id, out var current) || current.State != expected)
            {
                return Task.FromResult(false);
            }
            _probes[probe.Id] = probe;
            _scoreMarks[probe.Id] = ++_scoreMark;
            return Task.FromResult(true);
        }
    }

    public Task AcknowledgeProbesAsync(string loop)
    {
        lock (_probeGate)
        {
            foreach (var p in _probes.Values.Where(p => p.Loop == loop && p.State is ProbeState.Answered or ProbeState.Rated).ToList())
            {
                _probes[p.Id] = p with { Acknowledged = true };
                _scoreMarks[p.Id] = ++_scoreMark;
            }
        }
        return Task.CompletedTask;
    }

    public Task<ProbeScoreChanges> ReadProbeScoresAsync(string loop, long since)
    {
        lock (_probeGate)
        {
            var changed = _probes.Values
                .Where(p => p.Loop == loop && p.Score is not null && _scoreMarks[p.Id] >= since)
                .Select(p => new ProbeScore(p.Id, p.Branch, p.Day, p.Score!.Value, p.Acknowledged))
                .ToList();
            return Task.FromResult(new ProbeScoreChanges(changed, _scoreMark + 1));
        }
    }
}
