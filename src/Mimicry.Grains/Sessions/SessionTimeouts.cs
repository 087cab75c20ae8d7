using Mimicry.Spec;

namespace Mimicry.Grains.Sessions;

/// <summary>How long things around a session may take before Mimicry stops waiting.</summary>
public static class SessionTimeouts
{
    /// <summary>Slack added to the simulator's own latency.</summary>
    public static readonly TimeSpan Grace = TimeSpan.FromSeconds(60);

    /// <summary>
    /// How long one admitted session may run (from leaving the admission queue) before it is abandoned and reported
    /// as failed. Time spent queued behind <c>maxConcurrency</c> does not count.
    /// </summary>
    public static TimeSpan Run(SimulatorSpec simulator) => simulator.OpenAi is { } m
        // Every attempt may take the request timeout, each retry may wait up to the 30 s backoff cap (or a
        // Retry-After), and admission may queue behind the backend's rate limits.
        ? m.RequestTimeout * (m.Retries + 1) + TimeSpan.FromSeconds(30) * m.Retries + TimeSpan.FromMinutes(10)
        : simulator.Latency * 4 + Grace;

    /// <summary>
    /// How long a branch waits for a day's missing reports before it checks whether they were lost: longer than a
    /// session may run, so a session abandoned at its timeout has reported by then.
    /// </summary>
    public static TimeSpan Report(SimulatorSpec simulator) => Run(simulator) + Grace;
}
