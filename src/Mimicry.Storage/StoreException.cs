namespace Mimicry.Storage;

/// <summary>The store cannot be used as configured; the message is one plain sentence for the user.</summary>
public sealed class StoreException(string message, Exception? inner = null) : Exception(message, inner);
