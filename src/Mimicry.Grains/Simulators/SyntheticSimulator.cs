using Mimicry.Sessions;
using Mimicry.Synthetic;
using Mimicry.Simulation;

namespace Mimicry.Grains.Simulators;

/// <summary>The built-in synthetic researcher, with the spec's simulated latency.</summary>
public sealed class SyntheticSimulator(MimicryClock clock) : ISessionSimulator
{
    public string Kind => "synthetic";

    public async Task<SessionOutput> RunAsync(SessionRequest request, CancellationToken cancellationToken)
    {
        if (request.Simulator.Latency > TimeSpan.Zero)
        {
            await Task.Delay(request.Simulator.Latency, clock.Time, cancellationToken);
        }
        return new SessionOutput(SyntheticResearcher.Write(request));
    }
}
