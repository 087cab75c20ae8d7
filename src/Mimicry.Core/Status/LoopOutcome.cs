namespace Mimicry.Status;

/// <summary>Sums up how a loop ended from how its branches ended.</summary>
public static class LoopOutcome
{
    /// <summary>A running loop whose every unfinished branch waits for a reviewer: running it further does nothing.</summary>
    public static bool AwaitingReview(RunState state, int branches, int finished, int awaiting) =>
        state == RunState.Running && awaiting > 0 && finished + awaiting >= branches;

    public static (RunState State, string Reason) Summarize(IReadOnlyCollection<(RunState State, string? Reason)> branches)
    {
        var total = branches.Count;
        foreach (var worst in new[] { RunState.Failed, RunState.Stopped })
        {
            var hit = branches.Where(b => b.State == worst).ToList();
            if (hit.Count > 0)
            {
                var common = hit.GroupBy(b => Headline(b.Reason)).OrderByDescending(g => g.Count()).First();
                return (worst, $"{common.Key} (in {common.Count()} of {total} branches)");
            }
        }
        var solved = branches.Count(b => b.Reason?.StartsWith("solved", StringComparison.Ordinal) == true);
        return (RunState.Completed, solved > 0 ? $"{solved} of {total} branches solved the problem" : $"all {total} branches ran every day");
    }

    /// <summary>A reason without its per-branch details in parentheses.</summary>
    private static string Headline(string? reason)
    {
        if (reason is null)
        {
            return "unknown";
        }
        var cut = reason.IndexOf(" (", StringComparison.Ordinal);
        return cut > 0 ? reason[..cut] : reason;
    }
}
