using System.Collections.Concurrent;
using System.Diagnostics;
using Mimicry.Grains;
using Mimicry.Telemetry;

namespace Mimicry.IntegrationTests.Grains;

[Collection(ClusterCollection.Name)]
public sealed class TraceTests(ClusterFixture fixture)
{
    [Fact]
    public async Task EachDay_IsOneConnectedTrace_DaySessionSimulatorAppend()
    {
        var spans = new ConcurrentBag<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = s => s.Name is MimicryTelemetry.Name or "Microsoft.Orleans.Application",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = spans.Add,
        };
        ActivitySource.AddActivityListener(listener);

        var spec = Specs.Parse(Specs.Yaml("traced", branches: 2, days: 3, lemmas: 50));
        await fixture.Client.GetGrain<ILoopGrain>(spec.Name).Start(spec);
        await fixture.WaitForEndAsync(spec.Name);

        var days = spans.Where(s => s.OperationName == "mimicry.day" && (string?)s.GetTagItem("mimicry.loop") == "traced").ToList();
        Assert.Equal(6, days.Count);
        foreach (var day in days)
        {
            Assert.Equal(default, day.ParentSpanId);
            var link = Assert.Single(day.Links);
            Assert.Contains(spans, s => s.SpanId == link.Context.SpanId && s.DisplayName.Contains("IBranchGrain/Start", StringComparison.Ordinal));
            var inTrace = spans.Where(s => s.TraceId == day.TraceId).ToList();
            Assert.Equal(4, inTrace.Count(s => s.OperationName == "mimicry.session"));
            Assert.Equal(4, inTrace.Count(s => s.OperationName == "mimicry.simulator"));
            Assert.Single(inTrace, s => s.OperationName == "mimicry.append");
        }
        Assert.Equal(6, days.Select(d => d.TraceId).Distinct().Count());
    }
}
