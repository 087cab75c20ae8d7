using Mimicry.Grains;
using Mimicry.Grains.Branches;
using Mimicry.Grains.Simulators;
using Mimicry.Spec;
using Mimicry.Status;
using Mimicry.Storage;
using Mimicry.Synthetic;
using Mimicry.Simulation;

namespace Mimicry.IntegrationTests.Grains;

[Collection(ClusterCollection.Name)]
public sealed class LoopGrainTests(ClusterFixture fixture)
{
    private static async Task<List<string>> NotebookLinesAsync(INotebookStore store, LoopSpec spec)
    {
        var lines = new List<string>();
        for (var b = 0; b < spec.Branches; b++)
        {
            foreach (var d in await store.ReadDaysAsync(spec.Name, b))
            {
                lines.AddRange(d.Entries.Select(e => $"{b}|{d.Day}|{d.Anchor:O}|{d.Bits}|{e.Seq}|{e.SessionId}|{e.Seed}|{e.Hash}|{e.Text}"));
            }
        }
        return lines;
    }

    private static async Task<List<string>> ReferenceAsync(LoopSpec spec)
    {
        await using var store = new InMemoryNotebookStore();
        var simulator = new SyntheticSimulator(MimicryClock.System);
        for (var b = 0; b < spec.Branches; b++)
        {
            await PlainBranchRunner.RunAsync(spec, b, store, simulator, TimeProvider.System);
        }
        return await NotebookLinesAsync(store, spec);
    }

    [Fact]
    public async Task Loop_RunsToCompletion_AndItsNotebooksEqualThePlainReference()
    {
        var spec = Specs.Parse(Specs.Yaml("determinism", branches: 8, days: 15, latency: "2ms"));
        var started = await fixture.Client.GetGrain<ILoopGrain>(spec.Name).Start(spec);
        Assert.Equal(RunState.Running, started.State);

        var end = await fixture.WaitForEndAsync(spec.Name);

        Assert.Equal(RunState.Completed, end.State);
        Assert.Equal(8, end.BranchesFinished);
        var actual = await NotebookLinesAsync(fixture.Store, spec);
        var expected = await ReferenceAsync(spec);
        Assert.NotEmpty(expected);
        Assert.Equal(expected, actual);
        Assert.Equal(end.Entries, actual.Count);
        Assert.Equal(end.DaysDone * 2.0, end.BitsSpent, 9); // best-of-4: 2 bits a day
    }

    [Fact]
    public async Task WaitForChange_ReturnsWhenTheLoopChangesCourse_NotAtItsTimeout()
    {
        var spec = Specs.Parse(Specs.Yaml("waited", branches: 2, days: 200, latency: "50ms"));
        var loop = fixture.Client.GetGrain<ILoopGrain>(spec.Name);
        await loop.Start(spec);
        var wait = loop.WaitForChange(TimeSpan.FromSeconds(30));
        while ((await loop.GetStatus()).DaysDone < 4)
        {
            await Task.Delay(20);
        }
        Assert.False(wait.IsCompleted, "committed days woke the wait: only changes of course should");
        await loop.Cancel("test: a change of course");
        // Well before its own 30 s: the cancel woke it.
        await wait.WaitAsync(TimeSpan.FromSeconds(20));
        // With nothing changing, a wait ends at its maximum.
        await loop.WaitForChange(TimeSpan.FromMilliseconds(50)).WaitAsync(TimeSpan.FromSeconds(20));
    }

    [Fact]
    public async Task Notebook_IsTheOnlyMemory_WithheldItMakesNoProgress()
    {
        var full = Specs.Parse(Specs.Yaml("with-notebook", branches: 4, days: 30, lemmas: 4, alphabet: 8));
        var withheld = Specs.Parse(Specs.Yaml("without-notebook", branches: 4, days: 30, lemmas: 4, alphabet: 8, notebook: "withheld"));
        await fixture.Client.GetGrain<ILoopGrain>(full.Name).Start(full);
        await fixture.Client.GetGrain<ILoopGrain>(withheld.Name).Start(withheld);
        await fixture.WaitForEndAsync(full.Name);
        await fixture.WaitForEndAsync(withheld.Name);

        for (var b = 0; b < 4; b++)
        {
            var withDays = await fixture.Store.ReadDaysAsync(full.Name, b);
            var withoutDays = await fixture.Store.ReadDaysAsync(withheld.Name, b);
            var progressWith = NotebookClaims.Read(withDays.SelectMany(d => d.Entries).Select(e => e.Text)).ProvenPrefix;
            var progressWithout = NotebookClaims.Read(withoutDays.SelectMany(d => d.Entries).Select(e => e.Text)).ProvenPrefix;
            Assert.Equal(4, progressWith);
            Assert.True(progressWithout <= 1, $"branch {b} reached lemma {progressWithout} without its notebook");
            Assert.Equal(30, withoutDays.Count);
            Assert.True(withDays.Count < 30, $"branch {b} with its notebook should solve early, took {withDays.Count} days");
        }
    }

    [Fact]
    public async Task MaxBits_StopsTheLoop_WithTheReason_AndNeverOverspends()
    {
        // 4 branches share 24 bits: 6 each, so 3 best-of-4 days each (2 bits a day).
        var spec = Specs.Parse(Specs.Yaml("bits-budget", branches: 4, days: 20, lemmas: 50, maxBits: 24));
        await fixture.Client.GetGrain<ILoopGrain>(spec.Name).Start(spec);
        var end = await fixture.WaitForEndAsync(spec.Name);

        Assert.Equal(RunState.Stopped, end.State);
        Assert.StartsWith("budget: maxBits reached", end.Reason);
        Assert.Equal(24.0, end.BitsSpent, 9);
        Assert.Equal((3, 3), (end.MinDaysDone, end.MaxDaysDone));
    }

    [Fact]
    public async Task FirstValid_ChargesMinusLog2OfThePassRate()
    {
        var spec = Specs.Parse(Specs.Yaml("first-valid", branches: 3, days: 6, lemmas: 50, selection: "first-valid", invalidRate: 0.4));
        await fixture.Client.GetGrain<ILoopGrain>(spec.Name).Start(spec);
        var end = await fixture.WaitForEndAsync(spec.Name);

        Assert.Equal(RunState.Completed, end.State);
        var charged = 0;
        for (var b = 0; b < spec.Branches; b++)
        {
            // Draw each day's four candidates again (sessions are deterministic) and count those the filter passes:
            // the day must be charged exactly −log2(passed / 4).
            var notebook = new BranchNotebook();
            foreach (var d in await fixture.Store.ReadDaysAsync(spec.Name, b))
            {
                var passed = Enumerable.Range(0, spec.Width)
                    .Select(slot => SyntheticResearcher.Write(DayLogic.Request(spec, b, d.Day, slot, d.Anchor, notebook.Snapshot)))
                    .Count(text => SyntheticCritic.IsValid(text, notebook.Claims));
                Assert.Equal(Mimicry.Selection.Bits.Filter(passed, spec.Width), d.Bits, 12);
                charged += d.Bits > 0 ? 1 : 0;
                Assert.All(d.Entries, e => Assert.DoesNotContain(SyntheticResearcher.Illegible, e.Text, StringComparison.Ordinal));
                notebook.Add(d);
            }
        }
        Assert.True(charged > 0, "with 40 % invalid candidates some day must have been charged");
    }

    [Fact]
    public async Task Start_SameNameWithAnotherSpec_IsRefused()
    {
        var spec = Specs.Parse(Specs.Yaml("conflict", branches: 1, days: 2));
        await fixture.Client.GetGrain<ILoopGrain>(spec.Name).Start(spec);
        var other = spec with { Seed = spec.Seed + 1 };
        var ex = await Assert.ThrowsAsync<ArgumentException>(() => fixture.Client.GetGrain<ILoopGrain>(spec.Name).Start(other));
        Assert.Contains("already exists", ex.Message, StringComparison.Ordinal);
        await fixture.WaitForEndAsync(spec.Name);
    }
}
