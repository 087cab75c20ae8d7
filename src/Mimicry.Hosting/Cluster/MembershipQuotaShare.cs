using Mimicry.Models.Admission;
using Orleans.Runtime;

namespace Mimicry.Hosting.Cluster;

/// <summary>
/// Backend quotas split over the active silos, read from this silo's membership view (no call, no grain): when a
/// silo joins or dies, every silo's share changes with its next admission.
/// </summary>
internal sealed class MembershipQuotaShare(IClusterMembershipService membership) : IQuotaShare
{
    public int Silos => Math.Max(1, membership.CurrentSnapshot.Members.Values.Count(m => m.Status == SiloStatus.Active));
}
