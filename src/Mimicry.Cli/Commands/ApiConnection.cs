using System.CommandLine;
using Mimicry.Client;
using Mimicry.Hosting;
using Mimicry.Storage.Sqlite;

namespace Mimicry.Cli.Commands;

/// <summary>
/// How a command reaches the API: <c>--server URL</c> (else <c>$MIMICRY_SERVER</c>) with the token in
/// <c>$MIMICRY_TOKEN</c> (else the credentials file); without a server, the local data folder: the server that runs for
/// it (a <c>mimicry run</c> or <c>serve</c>), or, when none does, an embedded host started for this command alone.
/// Either way every change goes through the API and the grains: there is one write path.
/// </summary>
internal sealed class ApiConnection
{
    public const string ServerVariable = "MIMICRY_SERVER";
    public const string TokenVariable = "MIMICRY_TOKEN";

    public Option<string?> Server { get; } = new("--server") { Description = "The Mimicry server's URL (default: $MIMICRY_SERVER); without one, the command works on the local data folder" };

    public Option<DirectoryInfo?> Data { get; } = CommonOptions.Data();

    public void AddTo(Command command)
    {
        command.Add(Server);
        command.Add(Data);
    }

    public static string? ServerUrl(string? option) =>
        option is { Length: > 0 } s ? s : Environment.GetEnvironmentVariable(ServerVariable) is { Length: > 0 } env ? env : null;

    public bool Remote(ParseResult parse) => ServerUrl(parse.GetValue(Server)) is not null;

    /// <summary>Opens a session; null when working locally on a folder that holds no Mimicry data (and <paramref name="create"/> is false).</summary>
    /// <param name="drive">Locally, when this command starts the host: whether it runs loops (resume, fork) or only changes state.</param>
    public async Task<ApiSession?> OpenAsync(ParseResult parse, bool drive = false, bool create = false, TraceExport trace = TraceExport.None, SqliteSync sync = SqliteSync.Full)
    {
        if (ServerUrl(parse.GetValue(Server)) is { } url)
        {
            if (parse.GetValue(Data) is not null)
            {
                throw new UserInputException("--data: a data folder is local; with --server (or $MIMICRY_SERVER) the server has its own store");
            }
            return ApiSession.Remote(ParseUrl(url), RemoteToken());
        }
        return await ApiSession.LocalAsync(DataFolder.Resolve(parse.GetValue(Data)), drive, create, trace, sync);
    }

    public static Uri ParseUrl(string url)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
        {
            throw new UserInputException($"--server: must be an http:// or https:// URL (got '{Mimicry.Text.InertText.ForTerminal(url)}')");
        }
        if (uri.UserInfo.Length > 0)
        {
            throw new UserInputException("--server: must not carry a user name or password; the token goes in $MIMICRY_TOKEN or the credentials file");
        }
        return uri;
    }

    /// <summary>The token for a remote server: <c>$MIMICRY_TOKEN</c>, else the credentials file; never a command-line argument.</summary>
    public static string RemoteToken()
    {
        if (Environment.GetEnvironmentVariable(TokenVariable) is { Length: > 0 } token)
        {
            return token.Trim();
        }
        var file = CredentialsFile();
        if (File.Exists(file))
        {
            return File.ReadAllText(file).Trim();
        }
        throw new UserInputException($"no API token: set ${TokenVariable}, or put the token in {file} (readable only by you)");
    }

    public static string CredentialsFile()
    {
        var xdg = Environment.GetEnvironmentVariable("XDG_CONFIG_HOME");
        var root = !string.IsNullOrEmpty(xdg) ? xdg : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".config");
        return Path.Combine(root, "mimicry", "token");
    }
}
