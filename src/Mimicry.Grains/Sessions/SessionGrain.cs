using Mimicry.Sessions;
using Orleans.Concurrency;

namespace Mimicry.Grains.Sessions;

/// <summary>
/// The session entry point: a stateless worker on the branch's own silo, so beginning a session costs one local
/// call and no activation. It admits the session and returns; the result reaches the branch later.
/// </summary>
[StatelessWorker]
public sealed class SessionGrain(SessionRunner runner) : Grain, ISessionGrain
{
    Task ISessionGrain.Begin(SessionRequest request)
    {
        runner.Admit(request);
        return Task.CompletedTask;
    }
}
