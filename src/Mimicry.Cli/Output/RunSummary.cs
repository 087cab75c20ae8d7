using System.Globalization;
using System.Text;
using System.Text.Json;
using Mimicry.Status;

namespace Mimicry.Cli.Output;

/// <summary>What <c>run</c> prints at the end: a short text summary, or one JSON object with <c>--json</c>.</summary>
internal sealed record RunSummary(LoopStatus Status, TimeSpan Elapsed, long SessionsThisRun, string DataFolder)
{
    /// <summary>Every branch not finished waits for a reviewer: running further would do nothing.</summary>
    public static bool AllWaiting(LoopStatus s) => LoopOutcome.AwaitingReview(s.State, s.Branches, s.BranchesFinished, s.AwaitingReview);

    public string State => AllWaiting(Status) ? "awaiting review" : Status.State.ToString().ToLowerInvariant();

    public double SessionsPerSecond => Elapsed.TotalSeconds > 0 ? SessionsThisRun / Elapsed.TotalSeconds : 0;

    public string ToJson() => JsonSerializer.Serialize(new
    {
        loop = Status.Loop,
        status = State,
        reason = Status.Reason,
        branches = Status.Branches,
        branchesFinished = Status.BranchesFinished,
        days = Status.DaysDone,
        daysPlanned = (long)Status.Branches * Status.DaysPerBranch,
        sessions = Status.Sessions,
        entries = Status.Entries,
        bitsSpent = Math.Round(Status.BitsSpent, 6),
        awaitingReview = Status.AwaitingReview,
        elapsedSeconds = Math.Round(Elapsed.TotalSeconds, 3),
        sessionsThisRun = SessionsThisRun,
        sessionsPerSecond = Math.Round(SessionsPerSecond, 1),
        dataFolder = DataFolder,
    });

    public string ToText(string specFile)
    {
        var s = Status;
        var sb = new StringBuilder();
        var inv = CultureInfo.InvariantCulture;
        sb.AppendLine(inv, $"Loop '{s.Loop}' {State}{(s.Reason is { Length: > 0 } reason ? $" ({Mimicry.Text.InertText.ForTerminal(reason)})" : "")}");
        sb.AppendLine(inv, $"  branches  {s.Branches:N0} ({s.BranchesFinished:N0} finished)");
        sb.AppendLine(inv, $"  days      {s.DaysDone:N0} of {(long)s.Branches * s.DaysPerBranch:N0} planned");
        sb.AppendLine(inv, $"  sessions  {s.Sessions:N0} ({SessionsThisRun:N0} this run, {SessionsPerSecond:N0}/s)");
        sb.AppendLine(inv, $"  entries   {s.Entries:N0}");
        sb.AppendLine(inv, $"  bits      {s.BitsSpent:N1}");
        sb.AppendLine(inv, $"  elapsed   {Elapsed.TotalSeconds:N1} s");
        sb.AppendLine(inv, $"  data      {DataFolder}");
        if (s.InputTokens + s.OutputTokens > 0)
        {
            sb.AppendLine(inv, $"  tokens    {s.InputTokens:N0} in{(s.CachedInputTokens > 0 ? $" ({s.CachedInputTokens:N0} cached)" : "")} + {s.OutputTokens:N0} out (cost {s.Cost:0.####})");
        }
        if (AllWaiting(s))
        {
            sb.AppendLine(inv, $"{s.AwaitingReview:N0} branch(es) wait for a reviewer: 'mimicry review list --loop {s.Loop} --data {DataFolder}', then 'mimicry review approve|reject ID', then continue with: mimicry resume {s.Loop} --data {DataFolder}");
        }
        else if (s.State == RunState.Running)
        {
            sb.AppendLine(inv, $"Run the same command again to resume.");
        }
        if (s.State == RunState.Paused)
        {
            sb.AppendLine(inv, $"The drift test paused it: look at the evidence ('mimicry probes list --loop {s.Loop} --data {DataFolder}'), then continue with: mimicry resume {s.Loop} --data {DataFolder}");
        }
        sb.AppendLine(inv, $"Read the notebooks: mimicry notebook {s.Loop} --data {DataFolder}");
        return sb.ToString();
    }
}
