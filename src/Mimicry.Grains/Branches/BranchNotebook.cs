using Mimicry.Storage;
using Mimicry.Synthetic;

namespace Mimicry.Grains.Branches;

/// <summary>
/// A branch's cached view of its own notebook: the entry texts sessions read (notebook@k) and running totals.
/// Rebuilt from the store on activation, then extended by each committed day, so reading notebook@k costs nothing.
/// </summary>
public sealed class BranchNotebook
{
    private readonly List<string> _texts = [];
    private string[]? _snapshot;

    public int DaysDone { get; private set; }

    public long SessionsUsed { get; private set; }

    public double BitsSpent { get; private set; }

    /// <summary>Input plus output tokens billed for every session of the committed days.</summary>
    public long TokensSpent { get; private set; }

    public double CostSpent { get; private set; }

    public NotebookClaims Claims { get; } = new();

    /// <summary>The notebook as the next day's sessions see it, oldest entry first.</summary>
    public string[] Snapshot => _snapshot ??= [.. _texts];

    /// <summary>Bits charged outside any day (forking this timeline off another).</summary>
    public void Charge(double bits) => BitsSpent += bits;

    public void Add(DayRecord day)
    {
        DaysDone = day.Day;
        SessionsUsed += day.Sessions;
        BitsSpent += day.Bits;
        TokensSpent += day.InputTokens + day.OutputTokens;
        CostSpent += day.Cost;
        foreach (var e in day.Entries)
        {
            _texts.Add(e.Text);
            Claims.Add(e.Text);
        }
        _snapshot = null;
    }
}
