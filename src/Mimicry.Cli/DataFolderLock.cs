namespace Mimicry.Cli;

/// <summary>
/// Keeps two embedded runs off one data folder: both would drive the same branches. The lock is an exclusive
/// file handle (flock on Linux), released by the OS even when the process is killed.
/// </summary>
internal sealed class DataFolderLock : IDisposable
{
    private readonly FileStream _handle;

    private DataFolderLock(FileStream handle) => _handle = handle;

    private const string FileName = "mimicry.lock";

    /// <summary>The lock, or null at once if another process holds it.</summary>
    public static DataFolderLock? TryAcquire(string folder)
    {
        try
        {
            return new DataFolderLock(new FileStream(Path.Combine(folder, FileName), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None));
        }
        catch (IOException)
        {
            return null;
        }
    }

    /// <summary>True while a 'mimicry run' holds the folder. Creates nothing.</summary>
    public static bool IsHeld(string folder)
    {
        var path = Path.Combine(folder, FileName);
        if (!File.Exists(path))
        {
            return false;
        }
        try
        {
            using var probe = new FileStream(path, FileMode.Open, FileAccess.ReadWrite, FileShare.None);
            return false;
        }
        catch (IOException)
        {
            return true;
        }
    }

    public void Dispose() => _handle.Dispose();
}
