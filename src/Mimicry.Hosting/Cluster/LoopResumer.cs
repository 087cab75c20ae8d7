using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Mimicry.Grains;
using Mimicry.Grains.Loops;
using Mimicry.Status;
using Mimicry.Storage;

namespace Mimicry.Hosting.Cluster;

/// <summary>
/// The durable job that brings loops back: the store says which loops are still running, and every silo pokes
/// each of them at start and then every watch period. A loop grain that is already active ignores the poke; one
/// that is not (after a full cluster restart, or whose silo died) activates and restarts its branches. Reminders
/// would need a second table for the same fact, so the loops table is the schedule.
/// </summary>
internal sealed partial class LoopResumer(
    INotebookStore store, IGrainFactory grains, IOptions<LoopOptions> options, IHostApplicationLifetime lifetime, ILogger<LoopResumer> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Only once the silo has joined (every hosted service started): a poke before that would fail and wait a period.
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using (lifetime.ApplicationStarted.Register(() => started.TrySetResult()))
        using (stoppingToken.Register(() => started.TrySetCanceled(stoppingToken)))
        {
            try
            {
                await started.Task;
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var running = (await store.ListLoopsAsync()).Where(l => l.State == RunState.Running).Select(l => l.Loop).ToList();
                foreach (var chunk in running.Chunk(64))
                {
                    await Task.WhenAll(chunk.Select(l => grains.GetGrain<ILoopGrain>(l).Resume()));
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException && !stoppingToken.IsCancellationRequested)
            {
                ResumeFailed(logger, ex.Message);
            }
            try
            {
                await Task.Delay(options.Value.WatchPeriod, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Resuming running loops failed (will try again): {Error}")]
    private static partial void ResumeFailed(ILogger logger, string error);
}
