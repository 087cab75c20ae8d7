namespace Mimicry.Cli;

/// <summary>
/// Where the embedded store lives: <c>--data DIR</c>, else <c>$MIMICRY_DATA</c>, else
/// <c>$XDG_DATA_HOME/mimicry</c>, else <c>~/.local/share/mimicry</c>.
/// </summary>
internal static class DataFolder
{
    public static string Resolve(DirectoryInfo? option)
    {
        if (option is not null)
        {
            return Path.GetFullPath(option.FullName);
        }
        var env = Environment.GetEnvironmentVariable("MIMICRY_DATA");
        if (!string.IsNullOrEmpty(env))
        {
            return Path.GetFullPath(env);
        }
        var xdg = Environment.GetEnvironmentVariable("XDG_DATA_HOME");
        var baseDir = !string.IsNullOrEmpty(xdg) ? xdg : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".local", "share");
        return Path.Combine(baseDir, "mimicry");
    }
}
