using Mimicry.Selection;
using Mimicry.Sessions;

namespace Mimicry.Grains.Branches;

/// <summary>Collects one day's session results by slot; duplicates (from re-dispatch) are ignored.</summary>
internal sealed class PendingDay(int day, int width)
{
    private readonly SessionResult?[] _results = new SessionResult?[width];
    private int _received;

    public int Day { get; } = day;

    public TaskCompletionSource Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public void Accept(SessionResult result)
    {
        if (result.Key.Day != Day || result.Key.Slot < 0 || result.Key.Slot >= _results.Length || _results[result.Key.Slot] is not null)
        {
            return;
        }
        _results[result.Key.Slot] = result;
        if (++_received == _results.Length)
        {
            Completion.TrySetResult();
        }
    }

    public IEnumerable<int> MissingSlots() => Enumerable.Range(0, _results.Length).Where(s => _results[s] is null);

    public IReadOnlyList<Candidate> Candidates() =>
        _results.Select((r, slot) => new Candidate(slot, r?.Text, r?.InputTokens ?? 0, r?.OutputTokens ?? 0)).ToArray();

    public string? FirstError() => _results.FirstOrDefault(r => r?.Error is not null)?.Error;
}
