using System.Globalization;

namespace Mimicry.Storage;

/// <summary>How stores write instants as text: ISO-8601 UTC with all seven fractional digits, so they round-trip exactly.</summary>
public static class StoreTime
{
    public static string Format(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fffffffZ", CultureInfo.InvariantCulture);

    public static DateTimeOffset Parse(string s) =>
        DateTimeOffset.Parse(s, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal);
}
