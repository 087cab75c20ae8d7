using Mimicry.Simulation;
namespace Mimicry.Grains.Simulators;

/// <summary>The simulators this silo can run, by kind.</summary>
public sealed class SimulatorCatalog(IEnumerable<ISessionSimulator> simulators)
{
    private readonly Dictionary<string, ISessionSimulator> _byKind = simulators.ToDictionary(s => s.Kind, StringComparer.Ordinal);

    public ISessionSimulator Get(string kind) =>
        _byKind.TryGetValue(kind, out var s) ? s : throw new InvalidOperationException($"this silo has no simulator of kind '{kind}'");
}
