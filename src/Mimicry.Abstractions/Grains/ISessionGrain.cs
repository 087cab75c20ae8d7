using Mimicry.Sessions;

namespace Mimicry.Grains;

/// <summary>
/// Runs sessions. A stateless worker local to the calling branch's silo: a session is a pure function of its
/// request, so no activation (and no memory) outlives it. The result goes back to the branch by
/// <see cref="IBranchGrain.OnSessionCompleted"/>.
/// </summary>
[Alias("mimicry.ISessionGrain")]
public interface ISessionGrain : IGrainWithIntegerKey
{
    /// <summary>Admits a day's sessions in one call (what a branch dispatches); the work runs after this call ends.</summary>
    [Alias("BeginAll")]
    Task BeginAll(IReadOnlyList<SessionRequest> requests);
}
