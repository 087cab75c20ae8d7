namespace Mimicry.SpecReading;

/// <summary>
/// What reading a spec may look at besides its text: the folder that relative paths (a prompt template) are
/// resolved against, and the environment (whether an API-key variable is set; its value is never read into the spec).
/// A server's context has no folder and no environment: a spec sent over the network reads no files there and
/// names one of the operator's <see cref="Backends"/> instead of a URL and a key variable.
/// </summary>
public sealed record SpecContext(string BaseDirectory, Func<string, string?> Environment)
{
    public static SpecContext Current => new(Directory.GetCurrentDirectory(), System.Environment.GetEnvironmentVariable);

    /// <summary>The model backends the operator configured, by name (empty: none).</summary>
    public IReadOnlyDictionary<string, ModelBackend> Backends { get; init; } = new Dictionary<string, ModelBackend>();

    /// <summary>Whether a spec may name a model URL, a key variable and a prompt file (the embedded local user only).</summary>
    public bool Inline { get; init; } = true;

    /// <summary>A server's context: no files, no environment, only the operator's backends.</summary>
    public static SpecContext Server(IReadOnlyDictionary<string, ModelBackend> backends) =>
        new("", _ => null) { Backends = backends, Inline = false };
}
