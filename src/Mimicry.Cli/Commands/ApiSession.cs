using Mimicry.Client;
using Mimicry.Hosting;
using Mimicry.Storage.Sqlite;

namespace Mimicry.Cli.Commands;

/// <summary>
/// A signed-in client for one command, and what it started to have one: locally, maybe the folder's lock, its store
/// and an embedded host, all released at the end.
/// </summary>
internal sealed class ApiSession : IAsyncDisposable
{
    private readonly List<IAsyncDisposable> _owned = [];
    private readonly List<IDisposable> _ownedSync = [];
    private readonly List<string> _temporaryTokens = [];

    private ApiSession(MimicryClient client, string where, string? folder, bool hostedHere)
    {
        Client = client;
        Where = where;
        Folder = folder;
        HostedHere = hostedHere;
    }

    public MimicryClient Client { get; private set; }

    /// <summary>"the server at URL" or the data folder's path, for messages.</summary>
    public string Where { get; }

    /// <summary>The local data folder, or null on a remote server.</summary>
    public string? Folder { get; }

    /// <summary>This command started the embedded host (no other process serves the folder).</summary>
    public bool HostedHere { get; }

    public Uri? ApiUrl { get; private set; }

    public static ApiSession Remote(Uri server, string token) => new(new MimicryClient(server, token), $"the server at {server}", null, hostedHere: false);

    /// <param name="dashboard">Serve the Orleans Dashboard too (when driving loops); <c>run</c> leaves it out to start sooner.</param>
    public static async Task<ApiSession?> LocalAsync(string folder, bool drive, bool create, TraceExport trace, SqliteSync sync, int port = 0, bool dashboard = true)
    {
        if (File.Exists(folder))
        {
            throw new UserInputException($"--data: {folder} is a file, not a folder");
        }
        if (!create && !SqliteNotebookStore.Exists(folder))
        {
            return null;
        }
        HostSettings.CheckEnvironment();
        try
        {
            if (!Directory.Exists(folder))
            {
                // A new data folder is its owner's alone: it holds every notebook and the local admin's token.
                if (OperatingSystem.IsWindows())
                {
                    Directory.CreateDirectory(folder);
                }
                else
                {
                    Directory.CreateDirectory(folder, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
                }
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new Mimicry.Storage.StoreException($"cannot create the data folder {folder}: {ex.Message.TrimEnd('.')}", ex);
        }
        // The folder's one server is whoever holds its lock: use it if it serves; else take the lock and serve here.
        // Another command may hold it for a moment (starting or stopping its own host): wait a little for either.
        DataFolderLock? folderLock = null;
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (folderLock is null)
        {
            if (LocalServer.Find(folder) is { } running)
            {
                var token = LocalServer.ReadToken(folder) ?? throw new UserInputException($"a server runs for {folder} but its token file is missing; restart it");
                return new ApiSession(new MimicryClient(running, token), folder, folder, hostedHere: false) { ApiUrl = running };
            }
            folderLock = DataFolderLock.TryAcquire(folder);
            if (folderLock is null)
            {
                if (waited.Elapsed > TimeSpan.FromSeconds(20))
                {
                    throw new UserInputException($"the data folder {folder} is held by another mimicry process that serves no API yet; wait for it, or use --data to pick another folder");
                }
                await Task.Delay(100);
            }
        }
        SqliteNotebookStore? store = null;
        try
        {
            store = SqliteNotebookStore.Open(folder, sync);
            var host = await EmbeddedHost.StartAsync(store, store.Access, trace, new EmbeddedHostOptions { DriveLoops = drive, ApiPort = port, Dashboard = dashboard });
            var token = await LocalServer.EnsureTokenAsync(store.Access, folder);
            var session = new ApiSession(new MimicryClient(host.ApiUrl!, token), folder, folder, hostedHere: true) { ApiUrl = host.ApiUrl };
            // Disposed in reverse: host, store, lock.
            session._ownedSync.Add(folderLock);
            session._owned.Add(store);
            session._owned.Add(host);
            LocalServer.Announce(folder, host.ApiUrl!);
            return session;
        }
        catch
        {
            if (store is not null)
            {
                await store.DisposeAsync();
            }
            folderLock.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Locally, acts as another user from here on (<c>--as alice</c>): the local admin makes sure the user exists with a
    /// role that may act, and signs in with a token that is revoked when the command ends. On a server you are who your token says.
    /// </summary>
    public async Task ActAsAsync(string name, string role)
    {
        if (Folder is null)
        {
            throw new UserInputException("--as: on a server you act as the user your token belongs to; --as works only on a local data folder");
        }
        var me = await Client.MeAsync();
        if (me.Name == name)
        {
            return;
        }
        var users = await Client.ListUsersAsync();
        if (users.FirstOrDefault(u => u.Name == name) is { } existing)
        {
            if (existing.Role != role && existing.Role != "admin")
            {
                throw new UserInputException($"--as: user '{name}' is a {existing.Role} here, not a {role}");
            }
        }
        else
        {
            await Client.AddUserAsync(name, role);
        }
        var token = await Client.CreateTokenAsync(new CreateTokenRequest(name, "--as, for one command", 1));
        _temporaryTokens.Add(token.Id);
        var admin = Client;
        _ownedSync.Add(admin);
        Client = new MimicryClient(ApiUrl!, token.Token);
        _revoker = admin;
    }

    private MimicryClient? _revoker;

    /// <summary>The local admin's client when acting as another user (to read what that user may not), else <see cref="Client"/>.</summary>
    public MimicryClient Reader => _revoker ?? Client;

    public async ValueTask DisposeAsync()
    {
        if (_revoker is not null)
        {
            foreach (var id in _temporaryTokens)
            {
                try
                {
                    await _revoker.RevokeTokenAsync(id);
                }
                catch (Exception ex) when (ex is MimicryApiException or HttpRequestException)
                {
                    // It expires within a day anyway.
                }
            }
        }
        Client.Dispose();
        if (Folder is not null && HostedHere)
        {
            LocalServer.Withdraw(Folder);
        }
        for (var i = _owned.Count - 1; i >= 0; i--)
        {
            await _owned[i].DisposeAsync();
        }
        for (var i = _ownedSync.Count - 1; i >= 0; i--)
        {
            _ownedSync[i].Dispose();
        }
    }
}
