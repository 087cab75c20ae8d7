using Mimicry.Sessions;

namespace Mimicry.Grains.Simulators;

/// <summary>Produces one session's candidate entry from its request. Implementations hold no per-session state.</summary>
public interface ISessionSimulator
{
    /// <summary>The <c>simulator.kind</c> this serves.</summary>
    string Kind { get; }

    Task<string> RunAsync(SessionRequest request, CancellationToken cancellationToken);
}
