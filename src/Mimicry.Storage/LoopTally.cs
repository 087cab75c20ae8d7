namespace Mimicry.Storage;

/// <summary>
/// Running totals of one loop's committed days, kept beside a store so that reading progress costs
/// O(branches), not a scan of every day ever committed (progress is polled several times a second).
/// </summary>
public sealed class LoopTally
{
    private readonly Lock _gate = new();
    private readonly Dictionary<int, int> _daysPerBranch = [];
    private long _days;
    private long _sessions;
    private long _entries;
    private double _bits;
    private long _input;
    private long _output;
    private double _cost;
    private long _cached;

    public void Add(DayRecord day) => Add(day.Branch, 1, day.Sessions, day.Entries.Count, day.Bits, day.InputTokens, day.OutputTokens, day.Cost, day.CachedInputTokens);

    public void Add(int branch, int days, long sessions, long entries, double bits, long inputTokens = 0, long outputTokens = 0, double cost = 0, long cachedInputTokens = 0)
    {
        lock (_gate)
        {
            _daysPerBranch[branch] = _daysPerBranch.GetValueOrDefault(branch) + days;
            _days += days;
            _sessions += sessions;
            _entries += entries;
            _bits += bits;
            _input += inputTokens;
            _output += outputTokens;
            _cost += cost;
            _cached += cachedInputTokens;
        }
    }

    public IReadOnlyDictionary<int, int> DaysPerBranch()
    {
        lock (_gate)
        {
            return new Dictionary<int, int>(_daysPerBranch);
        }
    }

    public LoopProgress Snapshot(int branches)
    {
        lock (_gate)
        {
            int min = int.MaxValue, max = 0;
            foreach (var n in _daysPerBranch.Values)
            {
                min = Math.Min(min, n);
                max = Math.Max(max, n);
            }
            var started = _daysPerBranch.Count;
            return new LoopProgress(_days, _sessions, _entries, _bits, started, started < branches || started == 0 ? 0 : min, max, _input, _output, _cost, _cached);
        }
    }
}
