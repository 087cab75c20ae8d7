using Mimicry.Status;
using Mimicry.Storage;
using static Mimicry.UnitTests.Storage.StoreRecords;

namespace Mimicry.UnitTests.Storage;

/// <summary>
/// What every store's <see cref="IProbeStore"/> must do, whatever keeps the rows. Probes: added once, listed in order, compare-and-set answers, and the drift test's changed scores. Each store has a subclass that
/// says how to open a fresh one (StoreContracts.*.cs); the facts run against all of them.
/// </summary>
public abstract class ProbeStoreContract
{
    protected abstract INotebookStore OpenFresh();

    [Fact]
    public async Task Probes_AreAddedOnce_ListedInOrder_AndRoundTripWhole()
    {
        await using var store = OpenFresh();
        Assert.True(await store.AddProbeAsync(Probe("loop", 1, 4, minute: 2)));
        Assert.True(await store.AddProbeAsync(Probe("loop", 0, 2, minute: 1)));
        Assert.True(await store.AddProbeAsync(Probe("other", 0, 2)));
        Assert.False(await store.AddProbeAsync(Probe("loop", 1, 4) with { Simulated = "a second copy" }));
        var list = await store.ListProbesAsync("loop");
        Assert.Equal(["loop/0/2", "loop/1/4"], list.Select(p => p.Id));
        var p = await store.GetProbeAsync("loop/1/4");
        Assert.Equal("simulated text", p!.Simulated);
        Assert.Equal(["entry one", "entry <two>"], p.Notebook);
        Assert.Equal(Probe("loop", 1, 4, minute: 2) with { Notebook = p.Notebook }, p);
        Assert.Equal(3, (await store.ListProbesAsync(null)).Count);
        Assert.Null(await store.GetProbeAsync("nope"));
    }

    [Fact]
    public async Task ProbeUpdates_AreCompareAndSet_OnTheState()
    {
        await using var store = OpenFresh();
        var open = Probe("loop", 0, 2);
        await store.AddProbeAsync(open);
        var answered = open with { State = ProbeState.Answered, Answer = "mine", Similarity = 0.8, Score = 0.8, AnsweredAt = open.Created.AddHours(1) };
        Assert.True(await store.UpdateProbeAsync(answered, ProbeState.Open));
        Assert.False(await store.UpdateProbeAsync(answered with { Answer = "a late second answer" }, ProbeState.Open));
        Assert.Equal("mine", (await store.GetProbeAsync(open.Id))!.Answer);

        await store.AddProbeAsync(Probe("loop", 1, 2));
        await store.AcknowledgeProbesAsync("loop");
        var after = await store.ListProbesAsync("loop");
        Assert.True(after.Single(p => p.Id == open.Id).Acknowledged);
        Assert.False(after.Single(p => p.Id == "loop/1/2").Acknowledged); // still open: not scored, not acknowledged
    }

    [Fact]
    public async Task ProbeScores_AreReadSinceAMark_WithNoChangeMissed()
    {
        await using var store = OpenFresh();
        var first = await store.ReadProbeScoresAsync("loop", 0);
        Assert.Empty(first.Changed);

        var a = Probe("loop", 0, 2);
        var b = Probe("loop", 1, 3);
        await store.AddProbeAsync(a);
        await store.AddProbeAsync(b);
        await store.AddProbeAsync(Probe("other", 0, 2) with { State = ProbeState.Answered, Score = 0.1 });
        Assert.True(await store.UpdateProbeAsync(a with { State = ProbeState.Answered, Answer = "x", Similarity = 0.8, Score = 0.8 }, ProbeState.Open));
        var second = await store.ReadProbeScoresAsync("loop", first.Next);
        Assert.Equal([new ProbeScore("loop/0/2", 0, 2, 0.8, false)], second.Changed); // only scored probes of this loop

        Assert.True(await store.UpdateProbeAsync(b with { State = ProbeState.Answered, Answer = "y", Similarity = 0.5, Score = 0.5 }, ProbeState.Open));
        var third = await store.ReadProbeScoresAsync("loop", second.Next);
        Assert.Contains(new ProbeScore("loop/1/3", 1, 3, 0.5, false), third.Changed);

        // A rating changes a score, and an acknowledgement changes every scored probe: both are read again.
        Assert.True(await store.UpdateProbeAsync(a with { State = ProbeState.Rated, Answer = "x", Similarity = 0.8, Rating = 2, Score = 0.6 }, ProbeState.Answered));
        await store.AcknowledgeProbesAsync("loop");
        var fourth = await store.ReadProbeScoresAsync("loop", third.Next);
        var latest = fourth.Changed.GroupBy(s => s.Id).ToDictionary(g => g.Key, g => g.Last());
        Assert.Equal(new ProbeScore("loop/0/2", 0, 2, 0.6, true), latest["loop/0/2"]);
        Assert.Equal(new ProbeScore("loop/1/3", 1, 3, 0.5, true), latest["loop/1/3"]);

        // From the start, everything scored is there once more.
        Assert.Equal(["loop/0/2", "loop/1/3"], (await store.ReadProbeScoresAsync("loop", 0)).Changed.Select(s => s.Id).Distinct().Order());
    }
}
