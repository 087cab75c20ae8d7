using Mimicry.Spec;

namespace Mimicry.SpecReading;

/// <summary>Reads the optional <c>review</c> section (docs/reviews.md).</summary>
internal static class ReviewReader
{
    /// <returns>null when invalid; otherwise the spec (itself null when the section is absent).</returns>
    public static (ReviewSpec? Spec, bool Ok)? Read(SpecFields? f, bool present)
    {
        if (f is null)
        {
            return present ? null : (null, true);
        }
        var every = f.Int("everyDays", required: false, 0, SpecReader.MaxDays) ?? (f.Has("everyDays") ? null : 0);
        var onReject = f.Choice("onReject", required: false, "rerun", "stop") ?? (f.Has("onReject") ? null : "rerun");
        var top = f.Int("top", required: false, 2, SpecReader.MaxWidth) ?? (f.Has("top") ? null : 0);
        f.RejectUnknown();
        if (every is null || onReject is null || top is null)
        {
            return null;
        }
        return (new ReviewSpec(every.Value, onReject == "stop" ? RejectPolicy.Stop : RejectPolicy.Rerun, top.Value), true);
    }
}
