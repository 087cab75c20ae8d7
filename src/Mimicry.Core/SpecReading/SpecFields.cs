using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Mimicry.SpecReading;

/// <summary>
/// Reads the fields of one spec object, recording every problem as "path: problem" and every field it was
/// asked about, so that whatever remains can be reported as unknown.
/// </summary>
internal sealed class SpecFields(JsonObject node, string path, List<string> errors)
{
    private readonly HashSet<string> _known = new(StringComparer.Ordinal);

    public List<string> Errors => errors;

    public string PathOf(string key) => path.Length == 0 ? key : $"{path}.{key}";

    public void Error(string key, string problem) => errors.Add($"{PathOf(key)}: {problem}");

    public bool Has(string key)
    {
        _known.Add(key);
        return node.TryGetPropertyValue(key, out var v) && v is not null;
    }

    private JsonNode? Get(string key, bool required)
    {
        _known.Add(key);
        if (node.TryGetPropertyValue(key, out var v) && v is not null)
        {
            return v;
        }
        if (required)
        {
            Error(key, "is required");
        }
        return null;
    }

    /// <summary>A field's value as it was written (null when absent), for sections Mimicry hands on whole.</summary>
    public JsonNode? Raw(string key) => Get(key, required: false);

    public SpecFields? Object(string key, bool required)
    {
        var v = Get(key, required);
        if (v is null)
        {
            return null;
        }
        if (v is JsonObject o)
        {
            return new SpecFields(o, PathOf(key), errors);
        }
        Error(key, $"must be a mapping of fields (got {Describe(v)})");
        return null;
    }

    /// <summary>A list field: each element with its path ("key[i]"), or null (with an error if it is not a list).</summary>
    public List<(JsonNode? Node, string Path)>? List(string key, bool required)
    {
        var v = Get(key, required);
        if (v is null)
        {
            return null;
        }
        if (v is JsonArray a)
        {
            return a.Select((n, i) => (n, $"{PathOf(key)}[{i}]")).ToList();
        }
        Error(key, $"must be a list (got {Describe(v)})");
        return null;
    }

    public string? String(string key, bool required, int maxLength = 10_000)
    {
        var v = Get(key, required);
        if (v is null)
        {
            return null;
        }
        if (v is JsonValue value && value.TryGetValue<string>(out var s))
        {
            if (required && string.IsNullOrWhiteSpace(s))
            {
                Error(key, "must not be empty");
                return null;
            }
            if (s.Length > maxLength)
            {
                Error(key, $"must be at most {maxLength} characters (got {s.Length})");
                return null;
            }
            return s;
        }
        Error(key, $"must be text (got {Describe(v)})");
        return null;
    }

    public long? Long(string key, bool required, long min, long max)
    {
        var v = Get(key, required);
        if (v is null)
        {
            return null;
        }
        if (v is JsonValue value && value.GetValueKind() == JsonValueKind.Number && value.TryGetValue<long>(out var l))
        {
            if (l < min || l > max)
            {
                Error(key, $"must be between {min} and {max} (got {l})");
                return null;
            }
            return l;
        }
        Error(key, $"must be a whole number (got {Describe(v)})");
        return null;
    }

    public int? Int(string key, bool required, int min, int max) => (int?)Long(key, required, min, max);

    public double? Double(string key, bool required, double min, double max, bool maxExclusive = false)
    {
        var v = Get(key, required);
        if (v is null)
        {
            return null;
        }
        if (v is JsonValue value && value.GetValueKind() == JsonValueKind.Number && TryDouble(value, out var d))
        {
            if (d < min || d > max || (maxExclusive && d >= max))
            {
                var upper = maxExclusive ? $"below {Fmt(max)}" : $"at most {Fmt(max)}";
                Error(key, $"must be at least {Fmt(min)} and {upper} (got {Fmt(d)})");
                return null;
            }
            return d;
        }
        Error(key, $"must be a number (got {Describe(v)})");
        return null;
    }

    public bool? Bool(string key)
    {
        var v = Get(key, required: false);
        if (v is null)
        {
            return null;
        }
        if (v is JsonValue value && value.GetValueKind() is JsonValueKind.True or JsonValueKind.False)
        {
            return value.GetValue<bool>();
        }
        Error(key, $"must be true or false (got {Describe(v)})");
        return null;
    }

    public TimeSpan? Duration(string key, bool required, TimeSpan min, TimeSpan max)
    {
        var v = Get(key, required);
        if (v is null)
        {
            return null;
        }
        TimeSpan d;
        if (v is JsonValue num && num.GetValueKind() == JsonValueKind.Number && num.TryGetValue<long>(out var ms) && ms == 0)
        {
            d = TimeSpan.Zero;
        }
        else if (v is not JsonValue value || !value.TryGetValue<string>(out var s) || !Durations.TryParse(s, out d))
        {
            Error(key, $"must be a duration such as 500ms, 2s, 5m, 3h, 7d or P7D (got {Describe(v)})");
            return null;
        }
        if (d < min || d > max)
        {
            Error(key, $"must be between {Durations.Format(min)} and {Durations.Format(max)} (got {Durations.Format(d)})");
            return null;
        }
        return d;
    }

    public DateTimeOffset? Time(string key, bool required)
    {
        var v = Get(key, required);
        if (v is null)
        {
            return null;
        }
        if (v is JsonValue value && value.TryGetValue<string>(out var s)
            && DateTimeOffset.TryParse(s, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var t))
        {
            return t;
        }
        Error(key, $"must be a date and time such as 2026-11-01T09:00:00Z (got {Describe(v)})");
        return null;
    }

    public string? Choice(string key, bool required, params string[] choices)
    {
        var s = String(key, required);
        if (s is null)
        {
            return null;
        }
        if (Array.IndexOf(choices, s) < 0)
        {
            Error(key, $"must be one of: {string.Join(", ", choices)} (got '{s}')");
            return null;
        }
        return s;
    }

    /// <summary>Reports every field nobody asked about. Call after reading all known fields.</summary>
    public void RejectUnknown()
    {
        foreach (var (key, _) in node)
        {
            if (!_known.Contains(key))
            {
                errors.Add($"{PathOf(key)}: unknown field (known fields here: {string.Join(", ", _known.Order(StringComparer.Ordinal))})");
            }
        }
    }

    private static bool TryDouble(JsonValue value, out double d)
    {
        if (value.TryGetValue(out d))
        {
            return true;
        }
        if (value.TryGetValue<long>(out var l))
        {
            d = l;
            return true;
        }
        return false;
    }

    private static string Fmt(double d) => d.ToString("0.###", CultureInfo.InvariantCulture);

    private static string Describe(JsonNode v)
    {
        var raw = v.ToJsonString();
        if (raw.Length > 40)
        {
            raw = raw[..37] + "...";
        }
        return v switch
        {
            JsonObject => "a mapping",
            JsonArray => "a list",
            _ => raw,
        };
    }
}
