using System.Globalization;

namespace Mimicry.Grains;

/// <summary>How grains are keyed: a loop by its name, a branch by "loop/branch".</summary>
public static class GrainKeys
{
    public static string Branch(string loop, int branch) => string.Create(CultureInfo.InvariantCulture, $"{loop}/{branch}");
}
