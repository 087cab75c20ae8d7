using Mimicry.Sessions;
using Mimicry.Synthetic;

namespace Mimicry.Grains.Simulators;

/// <summary>The built-in synthetic researcher, with the spec's simulated latency.</summary>
public sealed class SyntheticSimulator(MimicryClock clock) : ISessionSimulator
{
    public string Kind => "synthetic";

    public async Task<string> RunAsync(SessionRequest request, CancellationToken cancellationToken)
    {
        if (request.Simulator.Latency > TimeSpan.Zero)
        {
            await Task.Delay(request.Simulator.Latency, clock.Time, cancellationToken);
        }
        return SyntheticResearcher.Write(request);
    }
}
