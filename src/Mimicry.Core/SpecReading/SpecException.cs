namespace Mimicry.SpecReading;

/// <summary>A spec file that cannot be used. Each error already names the file, the field path and the problem.</summary>
public sealed class SpecException(IReadOnlyList<string> errors)
    : Exception(string.Join(Environment.NewLine, errors))
{
    public IReadOnlyList<string> Errors { get; } = errors;
}
