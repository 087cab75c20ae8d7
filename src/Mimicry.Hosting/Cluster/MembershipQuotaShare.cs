using Microsoft.Extensions.Logging;
using Mimicry.Models.Admission;
using Orleans.Runtime;

namespace Mimicry.Hosting.Cluster;

/// <summary>
/// Backend quotas split over the active silos, read from this silo's membership view (no call, no grain): when a
/// silo joins or dies, every silo's share changes with its next admission. Each change is logged, so an operator
/// can tell what rate each silo was keeping to at any moment.
/// </summary>
internal sealed partial class MembershipQuotaShare(IClusterMembershipService membership, ILogger<MembershipQuotaShare> logger) : IQuotaShare
{
    private int _last;

    public int Silos
    {
        get
        {
            var silos = Math.Max(1, membership.CurrentSnapshot.Members.Values.Count(m => m.Status == SiloStatus.Active));
            if (Interlocked.Exchange(ref _last, silos) != silos)
            {
                ShareChanged(logger, silos);
            }
            return silos;
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Backend quotas are now shared by {Silos} active silos: this silo admits 1/{Silos} of each limit")]
    private static partial void ShareChanged(ILogger logger, int silos);
}
