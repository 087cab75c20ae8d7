using Mimicry.Spec;
using Mimicry.Specs;
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
    public static async Task<IReadOnlyList<DayRecord>> ReadDaysAsync(INotebookStore store, LoopSpec spec, int branch, int depth = 0)
    {
        if (spec.Fork is not { } fork)
        {
            return await store.ReadDaysAsync(spec.Name, branch);
        }
        if (depth >= MaxDepth)
        {
            throw new InvalidDataException($"loop '{spec.Name}': forks nest more than {MaxDepth} deep");
        }
        var parent = await store.GetLoopAsync(fork.Loop) ?? throw new InvalidDataException($"loop '{spec.Name}' was forked from '{fork.Loop}', which is not in {store.Location}");
        var prefix = (await ReadDaysAsync(store, SpecJson.Deserialize(parent.SpecJson), fork.Branch, depth + 1)).Where(d => d.Day <= fork.FromDay);
        return [.. prefix, .. await store.ReadDaysAsync(spec.Name, branch)];
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

    /// <summary>A loop's totals with what a fork inherited: its one branch starts with the parent's first days (and their bits).</summary>
    public static async Task<LoopProgress> WithInheritedAsync(INotebookStore store, LoopSpec spec, LoopProgress own)
    {
        if (spec.Fork is not { } fork)
        {
            return own;
        }
        var days = fork.FromDay + (int)own.DaysDone;
        var inherited = (await ReadDaysAsync(store, spec, 0)).Where(d => d.Loop != spec.Name).Sum(d => d.Bits);
        return own with { DaysDone = days, MinDaysDone = days, MaxDaysDone = days, Bits = own.Bits + inherited + await ForkBitsAsync(store, spec) };
    }
}
