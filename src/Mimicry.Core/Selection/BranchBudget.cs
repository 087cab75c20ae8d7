using Mimicry.Spec;

namespace Mimicry.Selection;

/// <summary>
/// A branch's share of the loop budgets. Shares are equal and fixed up front, so where a branch stops depends only
/// on the spec and seed, never on which branch ran first; the loop as a whole never exceeds its budgets.
/// </summary>
public sealed record BranchBudget(long MaxSessions, double MaxBits, long MaxTokens = 0, double MaxCost = 0)
{
    private const double Epsilon = 1e-9;

    public static BranchBudget For(LoopSpec spec) => new(
        spec.Budgets.MaxSessions > 0 ? spec.Budgets.MaxSessions / spec.Branches : 0,
        BitsShare(spec.Budgets, spec.Branches),
        spec.Budgets.MaxTokens > 0 ? spec.Budgets.MaxTokens / spec.Branches : 0,
        spec.Budgets.MaxCost > 0 ? spec.Budgets.MaxCost / spec.Branches : 0)
    {
        SessionsLimited = spec.Budgets.MaxSessions > 0,
        BitsLimited = spec.Budgets.MaxBits > 0 || spec.Budgets.MaxBitsPerBranch > 0,
    };

    /// <summary>The branch's bits: its equal share of the loop's <c>maxBits</c>, capped by <c>maxBitsPerBranch</c>.</summary>
    private static double BitsShare(BudgetSpec budgets, int branches)
    {
        var share = budgets.MaxBits > 0 ? budgets.MaxBits / branches : double.PositiveInfinity;
        var cap = budgets.MaxBitsPerBranch > 0 ? budgets.MaxBitsPerBranch : double.PositiveInfinity;
        var bits = Math.Min(share, cap);
        return double.IsPositiveInfinity(bits) ? 0 : bits;
    }

    public bool SessionsLimited { get; init; }

    public bool BitsLimited { get; init; }

    /// <summary>Why another day of <paramref name="width"/> sessions may not start, or null if it may.</summary>
    public string? RefuseDay(long sessionsUsed, int width, double bitsSpent, double knownDayCost)
    {
        if (SessionsLimited && sessionsUsed + width > MaxSessions)
        {
            return $"budget: maxSessions reached (this branch's share is {MaxSessions} sessions, {sessionsUsed} used)";
        }
        if (BitsLimited && bitsSpent + knownDayCost > MaxBits + Epsilon)
        {
            return $"budget: maxBits reached (this branch's share is {MaxBits:0.###} bits, {bitsSpent:0.###} spent)";
        }
        return null;
    }

    /// <summary>
    /// Why no further day may start because of what the model billed, or null. A day's tokens are known only once
    /// its sessions return, so this is checked before each day: a branch can overshoot its share by one day's usage.
    /// </summary>
    public string? RefuseSpend(long tokensSpent, double costSpent, string currency)
    {
        if (MaxTokens > 0 && tokensSpent >= MaxTokens)
        {
            return $"budget: maxTokens reached (this branch's share is {MaxTokens} tokens, {tokensSpent} used)";
        }
        if (MaxCost > 0 && costSpent >= MaxCost - Epsilon)
        {
            return $"budget: maxCost reached (this branch's share is {MaxCost:0.####} {currency}, {costSpent:0.####} spent)";
        }
        return null;
    }

    /// <summary>Why a selection costing <paramref name="cost"/> bits may not be kept, or null if it may.</summary>
    public string? RefuseSelection(double bitsSpent, double cost) =>
        BitsLimited && bitsSpent + cost > MaxBits + Epsilon
            ? $"budget: maxBits reached (this branch's share is {MaxBits:0.###} bits, {bitsSpent:0.###} spent, the day would cost {cost:0.###})"
            : null;

    /// <summary>The bits a day of this selection costs before seeing its candidates (first-valid's cost is known only after).</summary>
    public static double KnownDayCost(SelectionSpec selection) =>
        selection.Kind == SelectionKind.BestOfN ? Bits.OneOf(selection.N) : 0;
}
