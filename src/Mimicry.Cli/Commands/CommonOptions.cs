using System.CommandLine;

namespace Mimicry.Cli.Commands;

internal static class CommonOptions
{
    public static Option<DirectoryInfo?> Data() => new("--data")
    {
        Description = "The data folder (default: $MIMICRY_DATA, else $XDG_DATA_HOME/mimicry, else ~/.local/share/mimicry)",
    };

    public static Option<bool> Json(string what) => new("--json") { Description = what };
}
