using Microsoft.Extensions.Logging;
using Mimicry.Grains;
using Mimicry.Status;
using Mimicry.Storage;
using Orleans.Runtime;

namespace Mimicry.Hosting.Cluster;

/// <summary>
/// Watches membership; when a silo is declared dead, tells every running loop, which restarts its unfinished
/// branches (those of the dead silo activate elsewhere and resume from the store). This is what makes failover
/// take the membership detection time, not the loop's watch period. Every surviving silo sends the notice; a
/// loop acts on the first one per dead silo.
/// </summary>
internal sealed partial class DeadSiloWatcher(
    IClusterMembershipService membership, ILocalSiloDetails local, INotebookStore store, IGrainFactory grains, ILogger<DeadSiloWatcher> logger)
    : ILifecycleParticipant<ISiloLifecycle>, IDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private Task? _watching;

    public void Participate(ISiloLifecycle lifecycle) => lifecycle.Subscribe(
        nameof(DeadSiloWatcher),
        ServiceLifecycleStage.Active,
        _ =>
        {
            _watching = Task.Run(WatchAsync, CancellationToken.None);
            return Task.CompletedTask;
        },
        async _ =>
        {
            await _stop.CancelAsync();
            if (_watching is not null)
            {
                await _watching.ContinueWith(_ => { }, TaskScheduler.Default);
            }
        });

    public void Dispose() => _stop.Dispose();

    private async Task WatchAsync()
    {
        var dead = new HashSet<SiloAddress>(membership.CurrentSnapshot.Members.Values.Where(m => m.Status == SiloStatus.Dead).Select(m => m.SiloAddress));
        await foreach (var snapshot in membership.MembershipUpdates.WithCancellation(_stop.Token))
        {
            foreach (var m in snapshot.Members.Values)
            {
                if (m.Status == SiloStatus.Dead && !m.SiloAddress.Equals(local.SiloAddress) && dead.Add(m.SiloAddress))
                {
                    await RecoverAsync(m.SiloAddress);
                }
            }
        }
    }

    private async Task RecoverAsync(SiloAddress silo)
    {
        for (var attempt = 1; attempt <= 5 && !_stop.IsCancellationRequested; attempt++)
        {
            try
            {
                var running = (await store.ListLoopsAsync()).Where(l => l.State == RunState.Running).ToList();
                SiloDied(logger, silo.ToString(), running.Count);
                foreach (var chunk in running.Chunk(64))
                {
                    await Task.WhenAll(chunk.Select(l => grains.GetGrain<ILoopGrain>(l.Loop).Recover(silo.ToParsableString())));
                }
                return;
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                RecoverFailed(logger, silo.ToString(), attempt, ex.Message);
                await Task.Delay(TimeSpan.FromSeconds(attempt), _stop.Token).ContinueWith(_ => { }, TaskScheduler.Default);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Silo {Silo} is dead; restarting its branches in {Loops} running loops")]
    private static partial void SiloDied(ILogger logger, string silo, int loops);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Recovering after silo {Silo} failed (attempt {Attempt}): {Error}")]
    private static partial void RecoverFailed(ILogger logger, string silo, int attempt, string error);
}
