using Mimicry.Grains;
using Mimicry.SpecReading;
using Orleans;

namespace Mimicry.IntegrationTests.Grains;

/// <summary>
/// Stopping a loop does not depend on its fan-out of stops reaching every branch: each branch reads its loop's state
/// before every day. Here every Stop call fails, and the branches stop all the same.
/// </summary>
public sealed class CancelTests
{
    private static string Spec(string name) => $"""
        name: {name}
        researcher: {"{"} id: ada, name: Ada {"}"}
        question: Which symbol does each lemma hold?
        anchor: {"{"} policy: fixed, time: 2026-11-01T09:00:00Z {"}"}
        days: 500
        branches: 8
        width: 1
        simulator: {"{"} kind: synthetic, latency: 300ms, lemmas: 1000 {"}"}
        """;

    [Theory]
    [InlineData("cancel")]
    [InlineData("pause")]
    public async Task EveryBranchStopsWithinADay_EvenWhenEveryStopCallFails(string how)
    {
        await using var cluster = await MimicryTestCluster.StartAsync(silos: 2, after: silo => silo.AddIncomingGrainCallFilter(context =>
            context.Grain is IBranchGrain && context.InterfaceMethod.Name == nameof(IBranchGrain.Stop)
                ? throw new InvalidOperationException("test: this stop never arrives")
                : context.Invoke()));
        var spec = SpecReader.Parse("s.yaml", Spec(how), DateTimeOffset.UtcNow);
        var loop = cluster.Client.GetGrain<ILoopGrain>(how);
        await loop.Start(spec);
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while ((await cluster.Store.GetDaysPerBranchAsync(how)).Count(kv => kv.Value >= 2) < spec.Branches)
        {
            Assert.True(DateTime.UtcNow < deadline, "the branches did not get going");
            await Task.Delay(50);
        }
        var status = how == "cancel" ? await loop.Cancel("test") : await loop.Pause("test");
        var atStop = await cluster.Store.GetDaysPerBranchAsync(how);
        // A day in flight may still land, and one begun just before the state was seen; then nothing more.
        await Task.Delay(TimeSpan.FromSeconds(2));
        var after = await cluster.Store.GetDaysPerBranchAsync(how);
        Assert.All(after, kv => Assert.True(kv.Value - atStop.GetValueOrDefault(kv.Key) <= 2, $"branch {kv.Key} committed {kv.Value - atStop.GetValueOrDefault(kv.Key)} days after the {how}"));
        await Task.Delay(TimeSpan.FromSeconds(1));
        Assert.Equal(after, await cluster.Store.GetDaysPerBranchAsync(how));
        Assert.Equal(how == "cancel" ? Mimicry.Status.RunState.Stopped : Mimicry.Status.RunState.Paused, status.State);
        // A second cancel is not a no-op: it tries the stops again (and fails again, harmlessly).
        if (how == "cancel")
        {
            Assert.Equal(Mimicry.Status.RunState.Stopped, (await loop.Cancel("again")).State);
        }
    }
}
