using Mimicry.Sessions;
using Orleans.Concurrency;

namespace Mimicry.Grains.Sessions;

/// <summary>
/// The session entry point: a stateless worker on the branch's own silo, so beginning a day's sessions costs one local
/// call and no activation. It admits the session and returns; the result reaches the branch later.
/// </summary>
[StatelessWorker]
public sealed class SessionGrain(SessionRunner runner) : Grain, ISessionGrain
{
    Task ISessionGrain.BeginAll(IReadOnlyList<SessionRequest> requests)
    {
        foreach (var request in requests)
        {
            runner.Admit(request);
        }
        return Task.CompletedTask;
    }
}
