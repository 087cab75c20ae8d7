using System.Text.Json;
using Mimicry.Client;
using Mimicry.SpecReading;
using Mimicry.Status;

namespace Mimicry.Cli.Output;

/// <summary>The API's views as the records the printers were written for (same names, same JSON).</summary>
internal static class Wire
{
    public static T As<T>(object view) => JsonSerializer.Deserialize<T>(JsonSerializer.Serialize(view, view.GetType(), MimicryJson.Options), SpecJson.Options)!;

    public static Review Review(ReviewView v) => As<Review>(v);

    public static Probe Probe(ProbeView v) => As<Probe>(v with { Simulated = v.Simulated ?? "" });

    public static RunState State(string state) => Enum.Parse<RunState>(state, ignoreCase: true);

    public static LoopStatus Status(LoopView v) => new(v.Loop, State(v.State), v.Reason, v.Branches, v.BranchesFinished, v.DaysPerBranch, v.Days, v.Sessions, v.Entries,
        v.BitsSpent, v.MinDaysDone, v.MaxDaysDone, v.InputTokens, v.OutputTokens, v.Cost, v.AwaitingReview, v.Status != "interrupted");
}
