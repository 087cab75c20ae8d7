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

    public static DataFolderLock Acquire(string folder)
    {
        var path = Path.Combine(folder, FileName);
        // A few tries: 'mimicry status' holds the lock for an instant when it checks whether a run is active.
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                return new DataFolderLock(new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None));
            }
            catch (IOException) when (attempt < 10)
            {
                Thread.Sleep(100);
            }
            catch (IOException)
            {
                throw new UserInputException($"the data folder {folder} is in use by another 'mimicry run'; wait for it to finish or use --data to pick another folder");
            }
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
