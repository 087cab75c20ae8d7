using Mimicry.Selection;
using Mimicry.Spec;

namespace Mimicry.UnitTests.Selection;

public class SelectorTests
{
    private static readonly Candidate[] Four = [new(0, "a"), new(1, "bbb"), new(2, "cc"), new(3, "bbb")];

    private static SelectionOutcome Run(SelectionSpec spec, IReadOnlyList<Candidate> c) =>
        Selector.Select(spec, c, text => text.Length, text => text.Length >= 2);

    [Fact]
    public void All_KeepsEveryCandidateForFree()
    {
        var o = Run(new SelectionSpec(SelectionKind.All, 0), Four);
        Assert.Equal([0, 1, 2, 3], o.Chosen);
        Assert.Equal(0, o.Bits);
    }

    [Fact]
    public void BestOfN_PicksHighestScore_TieToLowestSlot_CostsLog2N()
    {
        var o = Run(new SelectionSpec(SelectionKind.BestOfN, 4), Four);
        Assert.Equal([1], o.Chosen);
        Assert.Equal(2.0, o.Bits, 12);
    }

    [Fact]
    public void BestOfN_FailedSessionsAreNotCandidates()
    {
        var o = Run(new SelectionSpec(SelectionKind.BestOfN, 4), [new(0, null), new(1, "x"), new(2, null), new(3, "yy")]);
        Assert.Equal([3], o.Chosen);
        Assert.Equal(1.0, o.Bits, 12);
        Assert.Equal(2, o.Seen);
    }

    [Fact]
    public void FirstValid_TakesFirstPassingSlot_CostsMinusLog2PassRate()
    {
        var o = Run(new SelectionSpec(SelectionKind.FirstValid, 0), Four);
        Assert.Equal([1], o.Chosen);
        Assert.Equal(Math.Log2(4.0 / 3.0), o.Bits, 12);
        Assert.Equal(3, o.Passed);
    }

    [Fact]
    public void FirstValid_NothingPasses_ChoosesNothingAndChargesNothing()
    {
        var o = Run(new SelectionSpec(SelectionKind.FirstValid, 0), [new(0, "a"), new(1, "b")]);
        Assert.Empty(o.Chosen);
        Assert.Equal(0, o.Bits);
    }

    [Theory]
    [InlineData(1, 0.0)]
    [InlineData(2, 1.0)]
    [InlineData(8, 3.0)]
    public void Bits_OneOfN_IsLog2N(int n, double bits) => Assert.Equal(bits, Bits.OneOf(n), 12);

    [Fact]
    public void Bits_Filter_IsMinusLog2OfPassRate()
    {
        Assert.Equal(2.0, Bits.Filter(1, 4), 12);
        Assert.Equal(0.0, Bits.Filter(4, 4), 12);
    }
}
