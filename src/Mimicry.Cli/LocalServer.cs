using System.Text.Json;
using Mimicry.Api.Auth;
using Mimicry.Storage.Access;

namespace Mimicry.Cli;

/// <summary>
/// How local commands find the one server of a data folder and sign in to it. The process that holds the folder's
/// lock and serves the API writes <c>server.json</c> (its URL) there; the local user's admin token is in
/// <c>api-token</c>, readable only by them (mode 600). Whoever can read the folder can read its SQLite file anyway,
/// so the token file adds no power; it keeps other local users, and programs that reach the port, out.
/// </summary>
internal static class LocalServer
{
    public const string ServerFile = "server.json";
    public const string TokenFile = "api-token";

    /// <summary>The URL of the server running for <paramref name="folder"/>, or null when none runs.</summary>
    public static Uri? Find(string folder)
    {
        var file = Path.Combine(folder, ServerFile);
        if (!File.Exists(file) || !DataFolderLock.IsHeld(folder))
        {
            return null;
        }
        try
        {
            using var doc = JsonDocument.Parse(File.ReadAllText(file));
            return doc.RootElement.TryGetProperty("url", out var url) && Uri.TryCreate(url.GetString(), UriKind.Absolute, out var uri) ? uri : null;
        }
        catch (Exception ex) when (ex is IOException or JsonException)
        {
            return null;
        }
    }

    /// <summary>Announces this process's server for the folder (it holds the lock). Removed by <see cref="Withdraw"/>.</summary>
    public static void Announce(string folder, Uri url) =>
        WritePrivate(Path.Combine(folder, ServerFile), JsonSerializer.Serialize(new { url = url.ToString(), pid = Environment.ProcessId }));

    public static void Withdraw(string folder)
    {
        try
        {
            File.Delete(Path.Combine(folder, ServerFile));
        }
        catch (IOException)
        {
            // Harmless: Find also checks the lock.
        }
    }

    /// <summary>The local user's token: read from the folder if it still works, else a new admin token (and user) written there.</summary>
    public static async Task<string> EnsureTokenAsync(IAccessStore access, string folder)
    {
        var path = Path.Combine(folder, TokenFile);
        if (ReadToken(folder) is { } existing && ApiTokens.Parse(existing) is { } parsed && await access.GetTokenAsync(parsed.Id) is { Revoked: null } record
            && ApiTokens.Matches(record, parsed.Secret) && await access.GetUserAsync(record.User) is { Role: Roles.Admin })
        {
            return existing;
        }
        var name = LocalUserName();
        if (await access.GetUserAsync(name) is { Role: not Roles.Admin })
        {
            name = "local-admin";
        }
        await access.AddUserAsync(new UserRecord(name, Roles.Admin, DateTimeOffset.UtcNow, "local"));
        var (token, secret) = ApiTokens.Create(name, "local data folder", DateTimeOffset.UtcNow, null, "local");
        await access.AddTokenAsync(token);
        WritePrivate(path, secret);
        return secret;
    }

    public static string? ReadToken(string folder)
    {
        var path = Path.Combine(folder, TokenFile);
        try
        {
            return File.Exists(path) ? File.ReadAllText(path).Trim() : null;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new UserInputException($"cannot read the local API token {path} ({ex.Message.TrimEnd('.')}); only the folder's owner can use it");
        }
    }

    /// <summary>The OS user's name as an API user name (lower-case letters, digits, '.', '_', '-').</summary>
    public static string LocalUserName()
    {
        var chars = Environment.UserName.ToLowerInvariant().Select(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-' ? c : '-').ToArray();
        var name = new string(chars).Trim('-', '.', '_');
        return name.Length is > 0 and <= 64 && Mimicry.SpecReading.SpecReader.IsSlug(name) ? name : "local";
    }

    private static void WritePrivate(string path, string content)
    {
        var temp = path + ".tmp";
        File.WriteAllText(temp, "");
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(temp, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
        File.WriteAllText(temp, content);
        File.Move(temp, path, overwrite: true);
    }
}
