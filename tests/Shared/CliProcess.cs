using System.Diagnostics;

namespace Mimicry.Tests.Shared;

/// <summary>Runs the real <c>mimicry</c> program as a child process (the build copies it next to the tests).</summary>
internal static class CliProcess
{
    /// <summary>
    /// The CLI as its own build left it (src/Mimicry.Cli/bin/CONFIG/net10.0), with its own runtime config and
    /// dependencies: a test project's output folder can lack some (one that references ASP.NET Core gets them
    /// from that shared framework instead).
    /// </summary>
    public static string Dll { get; } = FindDll();

    private static string FindDll()
    {
        var configuration = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar)).Parent!.Name;
        var own = Path.Combine(TestRoot.Find(), "src", "Mimicry.Cli", "bin", configuration, "net10.0", "mimicry.dll");
        return File.Exists(own) ? own : Path.Combine(AppContext.BaseDirectory, "mimicry.dll");
    }

    public sealed record Result(int ExitCode, string Stdout, string Stderr);

    public static Process Start(params string[] args) => Start(new Dictionary<string, string>(), args);

    public static Process Start(IReadOnlyDictionary<string, string> environment, params string[] args)
    {
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        psi.ArgumentList.Add(Dll);
        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }
        psi.Environment["MIMICRY_DATA"] = Path.Combine(Path.GetTempPath(), "mimicry-should-not-be-used");
        foreach (var (k, v) in environment)
        {
            psi.Environment[k] = v;
        }
        return Process.Start(psi) ?? throw new InvalidOperationException("could not start mimicry");
    }

    public static Task<Result> RunAsync(TimeSpan limit, params string[] args) => RunAsync(limit, new Dictionary<string, string>(), args);

    public static async Task<Result> RunAsync(TimeSpan limit, IReadOnlyDictionary<string, string> environment, params string[] args)
    {
        using var p = Start(environment, args);
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(limit);
        try
        {
            await p.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            p.Kill(entireProcessTree: true);
            throw new TimeoutException($"mimicry {string.Join(' ', args)} did not finish within {limit}; stderr so far: {await stderr}");
        }
        return new Result(p.ExitCode, await stdout, await stderr);
    }

    public static string TempFolder(string tag) => Path.Combine(Path.GetTempPath(), $"mimicry-{tag}-{Guid.NewGuid():N}");
}
