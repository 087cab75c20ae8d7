namespace Mimicry.Grains.Loops;

/// <summary>Settings of loop grains (section "Mimicry:Loops"); validated when the silo starts (between 0.1 s and 1 h; 1 to 10,000).</summary>
public sealed class LoopOptions
{
    public const string Section = "Mimicry:Loops";

    /// <summary>
    /// How often a running loop calls Start again on its unfinished branches. Start is a no-op for a branch that
    /// is driving; one that was deactivated (collected, or its silo restarted) resumes from the store.
    /// </summary>
    public TimeSpan WatchPeriod { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How many branch Start calls a loop keeps in flight at once (bounded fan-out).</summary>
    public int StartFanOut { get; set; } = 256;

    /// <summary>
    /// Whether a spec may name a model URL and key variable itself. Only the embedded host (one local user) allows
    /// it; on a cluster a spec names a backend the operator configured, so a spec cannot point a silo's secrets anywhere.
    /// </summary>
    public bool InlineBackends { get; set; }

    /// <summary>
    /// Whether loops on this silo drive their branches. False for the short-lived host a local command starts to act
    /// on a data folder (a decision, an answer): it changes state through the grains but runs no days.
    /// </summary>
    public bool DriveBranches { get; set; } = true;

    /// <summary>Every problem with these settings, each naming the setting; empty when they are usable.</summary>
    public IEnumerable<string> Problems()
    {
        if (WatchPeriod < TimeSpan.FromMilliseconds(100) || WatchPeriod > TimeSpan.FromHours(1))
        {
            yield return $"{Section}:WatchPeriod: must be between 00:00:00.1 and 01:00:00 (got {WatchPeriod})";
        }
        if (StartFanOut is < 1 or > 10_000)
        {
            yield return $"{Section}:StartFanOut: must be between 1 and 10000 (got {StartFanOut})";
        }
    }
}

/// <summary>Runs <see cref="LoopOptions.Problems"/> when the silo starts.</summary>
public sealed class LoopOptionsValidator : Microsoft.Extensions.Options.IValidateOptions<LoopOptions>
{
    public Microsoft.Extensions.Options.ValidateOptionsResult Validate(string? name, LoopOptions options)
    {
        var problems = options.Problems().ToList();
        return problems.Count == 0 ? Microsoft.Extensions.Options.ValidateOptionsResult.Success : Microsoft.Extensions.Options.ValidateOptionsResult.Fail(problems);
    }
}
