using System.CommandLine;
using Mimicry.Storage;

namespace Mimicry.Cli.Commands;

/// <summary>
/// Commands that work the same on the local data folder or through a cluster's gateway (probes, reviews): adds
/// <c>--data</c> and the cluster options, builds the matching implementation, runs the action, disposes what it built.
/// </summary>
internal static class LocalOrCluster
{
    public static void Wire<T>(Command command, Func<INotebookStore, string, T> local, Func<IGrainFactory, T> cluster, Func<T, ParseResult, CancellationToken, Task<int>> action)
    {
        var data = CommonOptions.Data();
        var connection = new ClusterConnection(local: true);
        command.Add(data);
        connection.AddTo(command);
        command.SetAction(async (parse, ct) =>
        {
            if (connection.ConnectionString(parse) is null)
            {
                var folder = DataFolder.Resolve(parse.GetValue(data));
                await using var store = StoreReader.OpenExisting(folder) ?? throw new UserInputException($"no loops in {folder} (it holds no Mimicry data)");
                var target = local(store, folder);
                try
                {
                    return await action(target, parse, ct);
                }
                finally
                {
                    (target as IDisposable)?.Dispose();
                }
            }
            await using var client = await connection.ConnectAsync(parse, ct);
            return await action(cluster(client.Grains), parse, ct);
        });
    }
}
