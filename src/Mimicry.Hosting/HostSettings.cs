using Microsoft.Extensions.Configuration;
using Mimicry.Grains.Loops;

namespace Mimicry.Hosting;

/// <summary>A silo setting that cannot be used; the message names the setting and the problem.</summary>
public sealed class HostSettingsException(string message) : Exception(message);

/// <summary>Checks the settings a silo would read from the environment, before anything is started or written.</summary>
public static class HostSettings
{
    public static void CheckEnvironment() => Check(new ConfigurationBuilder().AddEnvironmentVariables().Build());

    /// <summary>Checks the silo settings in <paramref name="config"/> (a config file and the environment).</summary>
    public static void Check(IConfiguration config)
    {
        var loops = new LoopOptions();
        try
        {
            config.GetSection(LoopOptions.Section).Bind(loops);
        }
        catch (InvalidOperationException ex)
        {
            // The binder says which value and which setting it could not convert.
            throw new HostSettingsException(ex.Message.TrimEnd('.'));
        }
        var problems = loops.Problems().ToList();
        if (problems.Count > 0)
        {
            throw new HostSettingsException(string.Join("; ", problems));
        }
    }
}
