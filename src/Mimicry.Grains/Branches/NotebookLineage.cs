using Mimicry.Spec;
using Mimicry.SpecReading;
using Mimicry.Storage;

namespace Mimicry.Grains.Branches;

/// <summary>
/// A branch's notebook across forks: a forked loop's branch is the first <c>fromDay</c> days of its parent's branch
/// (read from the parent's rows, never copied), then its own days. Parents may be forks themselves.
/// </summary>
public static class NotebookLineage
{
    /// <summary>How deep a chain of forks may go (a guard against a cycle in stored specs).</summary>
    public const int MaxDepth = 64;

    /// <summary>The branch's days, oldest first: the inherited prefix (records keep their own loop name), then its own.</summary>
    public static async Task<IReadOnlyList<DayRecord>> ReadDaysAsync(INotebookStore store, LoopSpec spec, int branch, int depth = 0) =>
        spec.Fork is null ? await store.ReadDaysAsync(spec.Name, branch) : [.. await InheritedAsync(store, spec, depth), .. await store.ReadDaysAsync(spec.Name, branch)];

    /// <summary>A fork's shared first days, read from its parent (itself perhaps a fork); empty for a loop that is not a fork.</summary>
    public static async Task<IReadOnlyList<DayRecord>> InheritedAsync(INotebookStore store, LoopSpec spec, int depth = 0)
    {
        if (spec.Fork is not { } fork)
        {
            return [];
        }
        if (depth >= MaxDepth)
        {
            throw new InvalidDataException($"loop '{spec.Name}': forks nest more than {MaxDepth} deep");
        }
        var parent = await store.GetLoopAsync(fork.Loop) ?? throw new InvalidDataException($"loop '{spec.Name}' was forked from '{fork.Loop}', which is not in {store.Location}");
        return (await ReadDaysAsync(store, SpecJson.Deserialize(parent.SpecJson), fork.Branch, depth + 1)).Where(d => d.Day <= fork.FromDay).ToList();
    }

    /// <summary>The bits every fork along the lineage charged.</summary>
    public static async Task<double> ForkBitsAsync(INotebookStore store, LoopSpec spec)
    {
        double bits = 0;
        var current = spec;
        for (var depth = 0; current.Fork is { } fork && depth < MaxDepth; depth++)
        {
            bits += fork.Bits;
            if (await store.GetLoopAsync(fork.Loop) is not { } parent)
            {
                break;
            }
            current = SpecJson.Deserialize(parent.SpecJson);
        }
        return bits;
    }

    public static async Task<BranchNotebook> LoadAsync(INotebookStore store, LoopSpec spec, int branch)
    {
        var notebook = new BranchNotebook();
        foreach (var day in await ReadDaysAsync(store, spec, branch))
        {
            notebook.Add(day);
        }
        if (spec.Fork is not null)
        {
            notebook.Charge(await ForkBitsAsync(store, spec));
        }
        return notebook;
    }

    /// <summary>
    /// What a fork's one branch starts with: the shared days, and their bits plus every fork charge along the lineage.
    /// Shared days are committed and append-only, so callers may keep this for the life of the fork.
    /// </summary>
    public static async Task<(int Days, double Bits)> InheritedTotalsAsync(INotebookStore store, LoopSpec spec) =>
        spec.Fork is not { } fork ? (0, 0) : (fork.FromDay, (await InheritedAsync(store, spec)).Sum(d => d.Bits) + await ForkBitsAsync(store, spec));

    /// <summary>A loop's totals with what a fork inherited (nothing for a loop that is not a fork).</summary>
    public static LoopProgress WithInherited(LoopProgress own, (int Days, double Bits) inherited)
    {
        if (inherited == (0, 0))
        {
            return own;
        }
        var days = inherited.Days + (int)own.DaysDone;
        return own with { DaysDone = days, MinDaysDone = days, MaxDaysDone = days, Bits = own.Bits + inherited.Bits };
    }
}
