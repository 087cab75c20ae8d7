using System.Collections.Concurrent;
using System.Diagnostics;
using Mimicry.Grains;
using Mimicry.Telemetry;

namespace Mimicry.IntegrationTests.Grains;

[Collection(ClusterCollection.Name)]
public sealed class TraceTests(ClusterFixture fixture)
{
    [Fact]
    public async Task EachDay_HangsBelowTheLoopsStart_InOneConnectedTrace_DaySessionSimulatorAppend()
    {
        var spans = new ConcurrentBag<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = s => s.Name is MimicryTelemetry.Name,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = spans.Add,
        };
        ActivitySource.AddActivityListener(listener);

        var spec = Specs.Parse(Specs.Yaml("traced", branches: 2, days: 3, lemmas: 50));
        await fixture.Client.GetGrain<ILoopGrain>(spec.Name).Start(spec);
        await fixture.WaitForEndAsync(spec.Name);

        var days = spans.Where(s => s.OperationName == "mimicry.day" && (string?)s.GetTagItem("mimicry.loop") == "traced").ToList();
        Assert.Equal(6, days.Count);
        var byId = spans.GroupBy(s => s.SpanId).ToDictionary(g => g.Key, g => g.First());
        foreach (var day in days)
        {
            // The day hangs below the loop's start fan-out that started its branch (through the grain call's context).
            Assert.True(byId.TryGetValue(day.ParentSpanId, out var start) && start.OperationName == "mimicry.loop.start", "a day is not under its loop's start");
            var below = spans.Where(s => s.TraceId == day.TraceId && Under(s, day, byId)).ToList();
            Assert.Equal(4, below.Count(s => s.OperationName == "mimicry.session"));
            Assert.Equal(4, below.Count(s => s.OperationName == "mimicry.simulator"));
            Assert.Single(below, s => s.OperationName == "mimicry.append");
        }
        // One trace for the loop's start and all its days.
        Assert.Single(days.Select(d => d.TraceId).Distinct());
    }

    private static bool Under(Activity span, Activity ancestor, Dictionary<ActivitySpanId, Activity> byId)
    {
        for (var s = span; s.ParentSpanId != default && byId.TryGetValue(s.ParentSpanId, out var parent); s = parent)
        {
            if (parent.SpanId == ancestor.SpanId)
            {
                return true;
            }
        }
        return false;
    }
}
