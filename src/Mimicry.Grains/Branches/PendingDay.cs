using Mimicry.Selection;
using Mimicry.Sessions;

namespace Mimicry.Grains.Branches;

/// <summary>
/// Collects one day's session results by slot. A second result for a slot (from a re-dispatch, or from sessions an
/// earlier activation of the branch began) is not a candidate, but it was paid for: <see cref="Accept"/> says so.
/// </summary>
internal sealed class PendingDay(int day, int width)
{
    private readonly SessionResult?[] _results = new SessionResult?[width];
    private int _received;

    public int Day { get; } = day;

    /// <summary>Sessions this activation dispatched for the day, re-dispatches included.</summary>
    public int Dispatched { get; private set; }

    public TaskCompletionSource Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Takes the result as its slot's candidate; false if it is not one (another day, a bad slot, the slot already filled).</summary>
    public bool Accept(SessionResult result)
    {
        if (result.Key.Day != Day || result.Key.Slot < 0 || result.Key.Slot >= _results.Length || _results[result.Key.Slot] is not null)
        {
            return false;
        }
        _results[result.Key.Slot] = result;
        if (++_received == _results.Length)
        {
            Completion.TrySetResult();
        }
        return true;
    }

    public void Dispatching(int sessions) => Dispatched += sessions;

    /// <summary>Sessions dispatched beyond one per slot: re-dispatches, each paid for whether or not its result came back.</summary>
    public int ExtraSessions => Math.Max(0, Dispatched - _results.Length);

    public IEnumerable<int> MissingSlots() => Enumerable.Range(0, _results.Length).Where(s => _results[s] is null);

    public IReadOnlyList<Candidate> Candidates() =>
        _results.Select((r, slot) => new Candidate(slot, r?.Text, r?.InputTokens ?? 0, r?.OutputTokens ?? 0, r?.CachedInputTokens ?? 0)).ToArray();

    public string? FirstError() => _results.FirstOrDefault(r => r?.Error is not null)?.Error;
}
