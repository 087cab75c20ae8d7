namespace Mimicry.Cli;

/// <summary>
/// Keeps two embedded runs off one data folder: both would drive the same branches. The lock is an exclusive
/// file handle (flock on Linux), released by the OS even when the process is killed.
/// </summary>
internal sealed class DataFolderLock : IDisposable
{
    private readonly FileStream _handle;

    private DataFolderLock(FileStream handle) => _handle = handle;

    public static DataFolderLock Acquire(string folder)
    {
        var path = Path.Combine(folder, "mimicry.lock");
        try
        {
            return new DataFolderLock(new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None));
        }
        catch (IOException)
        {
            throw new UserInputException($"the data folder {folder} is in use by another 'mimicry run'; wait for it to finish or use --data to pick another folder");
        }
    }

    public void Dispose() => _handle.Dispose();
}
