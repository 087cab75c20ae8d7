namespace Mimicry.IntegrationTests.Cli;

/// <summary>What the command line says of commands and options it does not know.</summary>
public sealed class CliParsingTests
{
    [Theory]
    [InlineData("nope", "--help")]
    [InlineData("review", "nope", "--help")]
    [InlineData("status", "--colour", "--help")]
    public async Task AnUnknownCommandOrOption_WithHelp_IsNamed_AndExits2(params string[] args)
    {
        var r = await CliProcess.RunAsync(TimeSpan.FromMinutes(1), args);
        Assert.Equal(2, r.ExitCode);
        Assert.Contains($"mimicry: Unrecognized command or argument '{args[^2]}'.", r.Stderr, StringComparison.Ordinal);
        Assert.Equal("", r.Stdout);
    }

    [Fact]
    public async Task AKnownCommand_WithHelp_ShowsItsHelp()
    {
        var r = await CliProcess.RunAsync(TimeSpan.FromMinutes(1), "serve", "--help");
        Assert.Equal(0, r.ExitCode);
        Assert.Contains("Serve a data folder's API on 127.0.0.1", r.Stdout, StringComparison.Ordinal);
    }
}
