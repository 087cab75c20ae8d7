using System.Diagnostics.Metrics;
using Mimicry.Grains;
using Mimicry.Telemetry;

namespace Mimicry.IntegrationTests.Grains;

[Collection(ClusterCollection.Name)]
public sealed class MetricsTests(ClusterFixture fixture)
{
    [Fact]
    public async Task Counters_CountSessionsDaysAndBits()
    {
        var totals = new Dictionary<string, double>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == MimicryTelemetry.Name)
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        void Add(Instrument i, double v, ReadOnlySpan<KeyValuePair<string, object?>> tags)
        {
            var ours = false;
            foreach (var t in tags)
            {
                ours |= t.Key == MimicryTelemetry.LoopTag && (string?)t.Value == "metered";
            }
            if (!ours)
            {
                return; // other test classes run loops in this process at the same time
            }
            lock (totals)
            {
                totals[i.Name] = totals.GetValueOrDefault(i.Name) + v;
            }
        }
        listener.SetMeasurementEventCallback<long>((i, v, tags, _) => Add(i, v, tags));
        listener.SetMeasurementEventCallback<double>((i, v, tags, _) => Add(i, v, tags));
        listener.Start();

        var spec = Specs.Parse(Specs.Yaml("metered", branches: 3, days: 4, lemmas: 50));
        await fixture.Client.GetGrain<ILoopGrain>(spec.Name).Start(spec);
        var end = await fixture.WaitForEndAsync(spec.Name);
        listener.Dispose();

        Assert.Equal(12, end.DaysDone);
        lock (totals)
        {
            Assert.Equal(48, totals["mimicry.sessions"]);
            Assert.Equal(12, totals["mimicry.days"]);
            Assert.Equal(24.0, totals["mimicry.bits"], 9);
        }
    }
}
