using Mimicry.Grains.Branches;
using Mimicry.Spec;
using Mimicry.SpecReading;
using Mimicry.Status;
using Mimicry.Storage;
using Mimicry.UnitTests.Storage;

namespace Mimicry.UnitTests.Branches;

/// <summary>A branch's notebook across a chain of forks: inherited prefixes read from the parents, fork charges summed, bad lineages named.</summary>
public sealed class NotebookLineageTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 29, 12, 0, 0, TimeSpan.Zero);

    private static LoopSpec Loop(string name) => SpecReader.Parse("t.yaml", $$"""
        name: {{name}}
        researcher: { id: ada, name: Ada }
        question: Q?
        anchor: { policy: fixed, time: 2026-11-01T09:00:00Z }
        days: 10
        branches: 2
        """, Now);

    private static async Task AddAsync(InMemoryNotebookStore store, LoopSpec spec, int branch, params int[] days)
    {
        await store.CreateLoopAsync(new LoopRecord(spec.Name, SpecJson.Serialize(spec), SpecJson.Hash(spec), RunState.Running, null, Now, Now));
        foreach (var day in days)
        {
            await store.AppendDayAsync(StoreRecords.Day(spec.Name, branch, day, $"{spec.Name} day {day}") with { Bits = 0.25 });
        }
    }

    [Fact]
    public async Task AForkOfAFork_ReadsEachParentsPrefix_AndPaysEveryForkCharge()
    {
        var store = new InMemoryNotebookStore();
        var root = Loop("root");
        await AddAsync(store, root, 1, 1, 2, 3, 4, 5);
        var middle = Loop("middle") with { Branches = 1, Fork = new ForkSpec("root", 1, 3, 1.0, ["question"]) };
        await AddAsync(store, middle, 0, 4, 5, 6);
        var leaf = Loop("leaf") with { Branches = 1, Fork = new ForkSpec("middle", 0, 5, 0.5, []) };
        await AddAsync(store, leaf, 0, 6);

        var days = await NotebookLineage.ReadDaysAsync(store, leaf, 0);
        Assert.Equal(["root day 1", "root day 2", "root day 3", "middle day 4", "middle day 5", "leaf day 6"], days.Select(d => d.Entries.Single().Text));
        Assert.Equal(["root", "root", "root", "middle", "middle", "leaf"], days.Select(d => d.Loop));

        var notebook = await NotebookLineage.LoadAsync(store, leaf, 0);
        Assert.Equal((6, 6 * 0.25 + 1.0 + 0.5), (notebook.DaysDone, notebook.BitsSpent));
        Assert.Equal((5, 5 * 0.25 + 1.5), await NotebookLineage.InheritedTotalsAsync(store, leaf));
        Assert.Equal((0, 0.0), await NotebookLineage.InheritedTotalsAsync(store, root));

        var own = new LoopProgress(1, 4, 1, 0.25, 1, 1, 1);
        var withInherited = NotebookLineage.WithInherited(own, (5, 1.75));
        Assert.Equal((6L, 6, 6, 2.0), (withInherited.DaysDone, withInherited.MinDaysDone, withInherited.MaxDaysDone, withInherited.Bits));
        Assert.Same(own, NotebookLineage.WithInherited(own, (0, 0)));
    }

    [Fact]
    public async Task AMissingParent_AndACycleOfForks_AreNamed()
    {
        var store = new InMemoryNotebookStore();
        var orphan = Loop("orphan") with { Fork = new ForkSpec("gone", 0, 2, 1, []) };
        Assert.Equal("loop 'orphan' was forked from 'gone', which is not in memory",
            (await Assert.ThrowsAsync<InvalidDataException>(() => NotebookLineage.ReadDaysAsync(store, orphan, 0))).Message);

        // Stored specs that fork from each other (never written by Mimicry, but a store is data): the guard stops it.
        var a = Loop("a") with { Fork = new ForkSpec("b", 0, 1, 1, []) };
        var b = Loop("b") with { Fork = new ForkSpec("a", 0, 1, 1, []) };
        await AddAsync(store, a, 0);
        await AddAsync(store, b, 0);
        Assert.Equal($"loop 'a': forks nest more than {NotebookLineage.MaxDepth} deep",
            (await Assert.ThrowsAsync<InvalidDataException>(() => NotebookLineage.ReadDaysAsync(store, a, 0))).Message);
        Assert.Equal(NotebookLineage.MaxDepth, await NotebookLineage.ForkBitsAsync(store, a)); // stops at the same depth
    }
}
