namespace Mimicry.Cli;

/// <summary>The exit codes every command uses (documented in docs/cli.md).</summary>
internal static class ExitCodes
{
    public const int Done = 0;
    public const int Failure = 1;
    public const int BadInput = 2;
    /// <summary><c>tripwires check</c>: at least one tripwire tripped.</summary>
    public const int Tripped = 3;
    /// <summary>Ctrl-C (SIGINT), by the shell convention 128 + 2.</summary>
    public const int Interrupted = 130;
    /// <summary>SIGTERM, 128 + 15.</summary>
    public const int Terminated = 143;
}

/// <summary>Bad input from the user: printed as one plain message, exit code 2.</summary>
internal sealed class UserInputException(string message) : Exception(message);
