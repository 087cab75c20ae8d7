using System.CommandLine;
using Mimicry.Cli.Commands;
using Mimicry.SpecReading;
using Mimicry.Storage;

namespace Mimicry.Cli;

/// <summary>The <c>mimicry</c> command line: parses, dispatches, and turns every error into a message and an exit code.</summary>
internal static class CliApp
{
    public static async Task<int> RunAsync(string[] args)
    {
        var root = new RootCommand("Mimicry: run simulated researchers who wake up again and again at the same anchor time, with only their notebook.")
        {
            RunCommand.Create(),
            StatusCommand.Create(),
            NotebookCommand.Create(),
            SiloCommand.Create(),
            SubmitCommand.Create(),
            CancelCommand.Create(),
            DbCommand.Create(),
            ModelsCommand.Create(),
            ProbesCommand.Create(),
            ResumeCommand.Create(),
            TripwiresCommand.Create(),
            ReviewCommand.Create(),
            ForkCommand.Create(),
            ServeCommand.Create(),
            AccessCommands.Users(),
            AccessCommands.Tokens(),
            AccessCommands.Audit(),
        };
        var parse = root.Parse(args);
        // With --help the parser drops its errors and shows the nearest command's help: an unknown command or
        // argument would then look accepted (exit 0). Say what is unknown instead.
        var unknown = parse.Errors.Count == 0 ? parse.UnmatchedTokens : [];
        if (parse.Errors.Count > 0 || unknown.Count > 0)
        {
            foreach (var error in parse.Errors)
            {
                await Console.Error.WriteLineAsync($"mimicry: {error.Message}");
            }
            foreach (var token in unknown)
            {
                await Console.Error.WriteLineAsync($"mimicry: Unrecognized command or argument '{Mimicry.Text.InertText.ForTerminal(token)}'.");
            }
            await Console.Error.WriteLineAsync($"Try '{string.Join(' ', CommandPath(parse))} --help'.");
            return ExitCodes.BadInput;
        }
        try
        {
            return await parse.InvokeAsync(new InvocationConfiguration { EnableDefaultExceptionHandler = false, ProcessTerminationTimeout = null });
        }
        catch (SpecException ex)
        {
            foreach (var e in ex.Errors)
            {
                await Console.Error.WriteLineAsync(e);
            }
            return ExitCodes.BadInput;
        }
        catch (UserInputException ex)
        {
            // Messages can quote stored text (a reviewer's name, a loop's reason): shown inert.
            await Console.Error.WriteLineAsync($"mimicry: {Mimicry.Text.InertText.ForTerminal(ex.Message)}");
            return ExitCodes.BadInput;
        }
        catch (Mimicry.Client.MimicryApiException ex)
        {
            // The server's words can quote stored text: shown inert. A refused spec lists every problem, one per line.
            if (ex.Errors.Count > 0)
            {
                // A spec's problems already name its file; other fields are named as this command's options.
                var spec = ex.Detail?.StartsWith("the spec has", StringComparison.Ordinal) == true;
                foreach (var e in ex.Errors)
                {
                    var line = Mimicry.Text.InertText.ForTerminal(e).Replace('\n', ' ');
                    await Console.Error.WriteLineAsync(spec ? line : $"mimicry: {OptionName(line)}");
                }
            }
            else
            {
                await Console.Error.WriteLineAsync($"mimicry: {Mimicry.Text.InertText.ForTerminal(ex.Detail ?? ex.Title).Replace('\n', ' ')}");
            }
            return (int)ex.Status >= 500 ? ExitCodes.Failure : ExitCodes.BadInput;
        }
        catch (HttpRequestException ex)
        {
            await Console.Error.WriteLineAsync($"mimicry: cannot reach the server: {Mimicry.Text.InertText.ForTerminal(ex.Message)}");
            return ExitCodes.Failure;
        }
        catch (Mimicry.Hosting.HostSettingsException ex)
        {
            await Console.Error.WriteLineAsync($"mimicry: invalid setting: {ex.Message}");
            return ExitCodes.BadInput;
        }
        catch (Mimicry.Hosting.Cluster.ClusterException ex)
        {
            await Console.Error.WriteLineAsync($"mimicry: {ex.Message}");
            return ExitCodes.Failure;
        }
        catch (StoreException ex)
        {
            await Console.Error.WriteLineAsync($"mimicry: {ex.Message}");
            return ExitCodes.Failure;
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            await Console.Error.WriteLineAsync($"mimicry: unexpected error: {ex.Message}");
            if (Environment.GetEnvironmentVariable("MIMICRY_DEBUG") == "1")
            {
                await Console.Error.WriteLineAsync(ex.ToString());
            }
            return ExitCodes.Failure;
        }
    }

    /// <summary>"picks: …" → "--pick: …": the body field a command filled from one of its options.</summary>
    private static string OptionName(string error)
    {
        foreach (var (field, option) in new[] { ("picks:", "--pick:"), ("score:", "--score:"), ("text:", "--text-file:"), ("reason:", "--reason:"), ("expiresInDays:", "--expires-in-days:"), ("label:", "--label:") })
        {
            if (error.StartsWith(field, StringComparison.Ordinal))
            {
                return option + error[field.Length..];
            }
        }
        return error;
    }

    private static IEnumerable<string> CommandPath(ParseResult parse)
    {
        var names = new Stack<string>();
        for (var r = parse.CommandResult; r is not null; r = r.Parent as System.CommandLine.Parsing.CommandResult)
        {
            names.Push(r.Command is RootCommand ? "mimicry" : r.Command.Name);
        }
        return names;
    }
}
