namespace Mimicry.Specs;

/// <summary>
/// What reading a spec may look at besides its text: the folder that relative paths (a prompt template) are
/// resolved against, and the environment (whether an API-key variable is set; its value is never read into the spec).
/// </summary>
public sealed record SpecContext(string BaseDirectory, Func<string, string?> Environment)
{
    public static SpecContext Current => new(Directory.GetCurrentDirectory(), System.Environment.GetEnvironmentVariable);
}
