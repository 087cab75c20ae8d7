namespace Mimicry.Tests.Shared;

/// <summary>The repository's root folder (the one holding Mimicry.sln), found from the test assembly's folder.</summary>
internal static class TestRoot
{
    public static string Find()
    {
        var d = new DirectoryInfo(AppContext.BaseDirectory);
        while (d is not null && !File.Exists(Path.Combine(d.FullName, "Mimicry.sln")))
        {
            d = d.Parent;
        }
        return d?.FullName ?? throw new InvalidOperationException("cannot find the repository root (Mimicry.sln) above " + AppContext.BaseDirectory);
    }
}
