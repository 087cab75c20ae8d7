using System.Globalization;
using Mimicry.Api.Output;
using Mimicry.Status;
using Mimicry.Text;

namespace Mimicry.Cli.Output;

/// <summary>A held day for a reviewer: why it was held, each candidate (inert, fenced) with its tripwire verdicts, and what to do.</summary>
internal static class ReviewPrinter
{
    public static async Task PrintAsync(TextWriter o, Review r)
    {
        var inv = CultureInfo.InvariantCulture;
        await o.WriteLineAsync($"# Review {r.Id} ({r.State.ToString().ToLowerInvariant()})");
        await o.WriteLineAsync();
        await o.WriteLineAsync(string.Create(inv, $"Loop {r.Loop}, branch {r.Branch}, day {r.Day}, attempt {r.Attempt}; anchor {r.Anchor.UtcDateTime:yyyy-MM-dd HH:mm}Z; held {r.Created.UtcDateTime:yyyy-MM-dd HH:mm:ss}Z."));
        await o.WriteLineAsync($"Held because: {InertText.ForTerminal(string.Join("; ", r.Reasons))}.");
        await o.WriteLineAsync(string.Create(inv,
            $"The selection ({r.Selection}) would keep candidate{(r.Chosen.Count == 1 ? "" : "s")} {string.Join(", ", r.Chosen)}: {r.SelectionBits:0.###} bits{(r.RerollBits > 0 ? $", plus {r.RerollBits:0.###} for {r.Attempt - 1} re-roll(s)" : "")}. Picking 1 of the {r.Candidates.Count(c => c.Text is not null)} candidates costs {Mimicry.Selection.Bits.OneOf(r.Candidates.Count(c => c.Text is not null)):0.###} bits instead (k of N: log2 C(N, k))."));
        if (r.Shortlist is { } shortlist)
        {
            await o.WriteLineAsync($"The critic's top {shortlist.Count}, best first: candidates {string.Join(", ", shortlist)}. Pick among them (--pick SLOT); the others are shown for context.");
        }
        foreach (var c in r.Candidates)
        {
            var tripped = c.Verdicts.Where(v => v.Tripped).Select(v => v.Detector).ToList();
            var rank = r.Shortlist?.ToList().IndexOf(c.Slot) ?? -1;
            await o.WriteLineAsync();
            await o.WriteLineAsync($"## Candidate {c.Slot}{(r.Chosen.Contains(c.Slot) ? " (the selection's choice)" : "")}{(rank >= 0 ? $" (critic's #{rank + 1})" : "")}{(tripped.Count > 0 ? $" — TRIPPED {string.Join(", ", tripped)}" : "")}");
            await o.WriteLineAsync();
            foreach (var v in c.Verdicts)
            {
                await o.WriteLineAsync($"    {(v.Tripped ? "TRIPPED" : "ok     ")}  {InertText.ForTerminal(v.Detector),-22} {InertText.ForTerminal(v.Detail)}");
            }
            if (c.Verdicts.Count > 0)
            {
                await o.WriteLineAsync();
            }
            await o.WriteLineAsync(c.Text is null ? "(this session failed: no text)" : NotebookWriter.Fenced(c.Text));
        }
        await o.WriteLineAsync();
        if (r.State == ReviewState.Pending)
        {
            await o.WriteLineAsync($"Decide with: mimicry review approve {r.Id} [--pick K[,K…]]   or   mimicry review reject {r.Id}");
        }
        else if (r.State == ReviewState.Superseded)
        {
            await o.WriteLineAsync(string.Create(inv,
                $"Superseded at {r.DecidedAt:yyyy-MM-dd HH:mm:ss}Z: another activation of the branch committed day {r.Day} without it; nothing was released from it."));
        }
        else
        {
            await o.WriteLineAsync(string.Create(inv,
                $"{(r.State == ReviewState.Approved ? "Approved" : "Rejected")} by {InertText.ForTerminal(r.DecidedBy ?? "?")} at {r.DecidedAt:yyyy-MM-dd HH:mm:ss}Z{(r.Picks is { } k ? $", picking candidate{(k.Count == 1 ? "" : "s")} {string.Join(", ", k)} ({r.PickBits:0.###} bits)" : "")}."));
        }
    }
}
