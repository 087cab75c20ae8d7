using System.Globalization;
using System.Text.RegularExpressions;
using System.Xml;

namespace Mimicry.SpecReading;

/// <summary>Parses durations written as "500ms", "2s", "5m", "3h", "7d", "2w" or ISO 8601 ("P7D", "PT1H30M").</summary>
public static partial class Durations
{
    [GeneratedRegex(@"^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h|d|w)\s*$", RegexOptions.CultureInvariant)]
    private static partial Regex Short();

    public static bool TryParse(string text, out TimeSpan value)
    {
        var m = Short().Match(text);
        if (m.Success)
        {
            var n = double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture);
            value = m.Groups[2].Value switch
            {
                "ms" => TimeSpan.FromMilliseconds(n),
                "s" => TimeSpan.FromSeconds(n),
                "m" => TimeSpan.FromMinutes(n),
                "h" => TimeSpan.FromHours(n),
                "d" => TimeSpan.FromDays(n),
                _ => TimeSpan.FromDays(7 * n),
            };
            return true;
        }
        if (text.StartsWith('P'))
        {
            try
            {
                value = XmlConvert.ToTimeSpan(text);
                return true;
            }
            catch (FormatException)
            {
            }
        }
        value = default;
        return false;
    }

    /// <summary>The short spelling used in status output and docs.</summary>
    public static string Format(TimeSpan value) =>
        value == TimeSpan.Zero ? "0s"
        : value.TotalDays >= 1 && value.TotalDays == Math.Floor(value.TotalDays) ? $"{value.TotalDays}d"
        : value.TotalHours >= 1 && value.TotalHours == Math.Floor(value.TotalHours) ? $"{value.TotalHours}h"
        : value.TotalSeconds >= 1 && value.TotalSeconds == Math.Floor(value.TotalSeconds) ? $"{value.TotalSeconds}s"
        : $"{value.TotalMilliseconds}ms";
}
