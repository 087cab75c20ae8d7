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

    /// <summary>Where the latest digest (<c>overflow: digest</c>) sits among the entries; -1: none.</summary>
    private int _digestAt = -1;

    /// <summary>
    /// The notebook as the next day's sessions see it, oldest entry first: every entry, or from the latest digest on
    /// (it stands for those before it, which stay in the store and in exports).
    /// </summary>
    public string[] Snapshot => _snapshot ??= _digestAt < 0 ? [.. _texts] : [.. _texts.Skip(_digestAt)];

    /// <summary>How many entries before <see cref="Snapshot"/>'s first are not in it (the latest digest stands for them).</summary>
    public int Hidden => Math.Max(0, _digestAt);

    /// <summary>Every entry the branch has kept, digests included.</summary>
    public int Entries => _texts.Count;

    /// <summary>Bits charged outside any day (forking this timeline off another).</summary>
    public void Charge(double bits) => BitsSpent += bits;

    public void Add(DayRecord day)
    {
        DaysDone = day.Day;
        SessionsUsed += day.Sessions;
        BitsSpent += day.Bits;
        TokensSpent += day.InputTokens + day.OutputTokens;
        CostSpent += day.Cost;
        if (day.IsDigest && day.Entries.Count > 0)
        {
            _digestAt = _texts.Count;
        }
        foreach (var e in day.Entries)
        {
            _texts.Add(e.Text);
            Claims.Add(e.Text);
        }
        _snapshot = null;
    }
}
