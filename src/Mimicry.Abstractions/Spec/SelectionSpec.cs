namespace Mimicry.Spec;

/// <summary>How a day's candidates become the day's notebook entries.</summary>
[GenerateSerializer, Alias("mimicry.SelectionKind")]
public enum SelectionKind
{
    /// <summary>Every candidate is appended; no selection, no bits.</summary>
    All,
    /// <summary>A critic picks one of N candidates: log2 N bits.</summary>
    BestOfN,
    /// <summary>The first candidate (in slot order) that passes the validity filter: −log2 p bits, p the observed pass rate.</summary>
    FirstValid,
}

[GenerateSerializer, Immutable, Alias("mimicry.SelectionSpec")]
public sealed record SelectionSpec(
    [property: Id(0)] SelectionKind Kind,
    [property: Id(1)] int N)
{
    /// <summary>The spelling used in spec files and status output.</summary>
    public override string ToString() => Kind switch
    {
        SelectionKind.All => "all",
        SelectionKind.BestOfN => $"best-of-{N}",
        _ => "first-valid",
    };
}
