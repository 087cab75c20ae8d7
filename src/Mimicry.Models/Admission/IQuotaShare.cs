namespace Mimicry.Models.Admission;

/// <summary>
/// How many silos share a backend's per-minute quotas. Each silo admits rate / <see cref="Silos"/>, so the cluster
/// as a whole stays within the configured limit without asking any grain per call.
/// </summary>
public interface IQuotaShare
{
    int Silos { get; }
}

/// <summary>The embedded host: this process is the whole cluster.</summary>
public sealed class SingleSiloShare : IQuotaShare
{
    public int Silos => 1;
}
