using System.Text.Json;
using System.Text.RegularExpressions;
using Json.Schema;
using Mimicry.Caching;
using Mimicry.Spec;

namespace Mimicry.Selection;

/// <summary>
/// The <c>filters</c> of <c>selection: first-valid</c>: whether one candidate passes, and why not. Pure and
/// deterministic, so a day's pass rate (and its −log2 p charge) is the same wherever it is computed. Patterns run on
/// the non-backtracking engine (linear in the text whatever the pattern); schemas never fetch anything.
/// </summary>
public static class CandidateFilter
{
    /// <summary>The most a spec may list per kind, and how long one pattern may be: each runs on every candidate.</summary>
    public const int MaxPatterns = 32;

    public const int MaxPatternLength = 1000;

    /// <summary>The longest schema a spec may carry (its JSON text).</summary>
    public const int MaxSchemaLength = 64 * 1024;

    private static readonly BoundedCache<Regex> Patterns = new(1_000);
    private static readonly BoundedCache<JsonSchema> Schemas = new(1_000);

    /// <summary>Null when <paramref name="text"/> passes every filter; else the first one it fails, for people.</summary>
    public static string? Failure(FilterSpec filters, string text)
    {
        if (filters.MinLength > 0 && text.Length < filters.MinLength)
        {
            return $"shorter than minLength ({text.Length} < {filters.MinLength} characters)";
        }
        if (filters.MaxLength > 0 && text.Length > filters.MaxLength)
        {
            return $"longer than maxLength ({text.Length} > {filters.MaxLength} characters)";
        }
        for (var i = 0; i < filters.Require.Count; i++)
        {
            if (!Pattern(filters.Require[i]).IsMatch(text))
            {
                return $"require[{i}] does not match";
            }
        }
        for (var i = 0; i < filters.Forbid.Count; i++)
        {
            if (Pattern(filters.Forbid[i]).IsMatch(text))
            {
                return $"forbid[{i}] matches";
            }
        }
        if (filters.JsonSchema is { } schemaText)
        {
            JsonDocument document;
            try
            {
                document = JsonDocument.Parse(text, new JsonDocumentOptions { MaxDepth = 64 });
            }
            catch (JsonException)
            {
                return "not a JSON document (jsonSchema)";
            }
            using (document)
            {
                try
                {
                    if (!Schema(schemaText).Evaluate(document.RootElement).IsValid)
                    {
                        return "rejected by jsonSchema";
                    }
                }
                catch (Exception ex) when (ex is JsonSchemaException or RefResolutionException or InvalidOperationException)
                {
                    return "rejected by jsonSchema (it could not be evaluated on this document)";
                }
            }
        }
        return null;
    }

    public static bool Passes(FilterSpec filters, string text) => Failure(filters, text) is null;

    /// <summary>Why a pattern cannot be a filter, or null: invalid, or outside what the linear-time engine runs.</summary>
    public static string? PatternProblem(string pattern)
    {
        if (pattern.Length == 0 || pattern.Length > MaxPatternLength)
        {
            return $"must be 1-{MaxPatternLength} characters (got {pattern.Length})";
        }
        try
        {
            _ = Pattern(pattern);
            return null;
        }
        catch (NotSupportedException)
        {
            return "uses what the linear-time engine cannot run (backreferences, lookarounds, atomic groups); rewrite it without them";
        }
        catch (ArgumentException ex)
        {
            return $"is not a valid regular expression ({ex.Message.TrimEnd('.')})";
        }
    }

    /// <summary>Why a schema cannot be used, or null: not JSON, not a schema, or referring to documents elsewhere.</summary>
    public static string? SchemaProblem(string schema)
    {
        if (schema.Length > MaxSchemaLength)
        {
            return $"is longer than {MaxSchemaLength / 1024} KiB";
        }
        try
        {
            using (var document = JsonDocument.Parse(schema, new JsonDocumentOptions { MaxDepth = 64 }))
            {
                if (ExternalReference(document.RootElement) is { } reference)
                {
                    return $"refers to a document elsewhere ({reference}); only references inside the schema (starting with '#') are allowed, nothing is fetched";
                }
            }
            _ = Schema(schema);
            return null;
        }
        catch (Exception ex) when (ex is JsonException or JsonSchemaException or RefResolutionException or ArgumentException or InvalidOperationException)
        {
            return $"is not a usable JSON Schema ({ex.Message.TrimEnd('.')}); only the schema itself is read, nothing is fetched";
        }
    }

    /// <summary>The first <c>$ref</c> or <c>$dynamicRef</c> that points outside the schema, or null.</summary>
    private static string? ExternalReference(JsonElement e)
    {
        switch (e.ValueKind)
        {
            case JsonValueKind.Object:
                foreach (var p in e.EnumerateObject())
                {
                    if (p.Name is "$ref" or "$dynamicRef" or "$recursiveRef" && (p.Value.ValueKind != JsonValueKind.String || !(p.Value.GetString() ?? "").StartsWith('#')))
                    {
                        return p.Value.ValueKind == JsonValueKind.String ? $"'{p.Value.GetString()}'" : p.Name;
                    }
                    if (ExternalReference(p.Value) is { } found)
                    {
                        return found;
                    }
                }
                return null;
            case JsonValueKind.Array:
                foreach (var item in e.EnumerateArray())
                {
                    if (ExternalReference(item) is { } found)
                    {
                        return found;
                    }
                }
                return null;
            default:
                return null;
        }
    }

    private static Regex Pattern(string pattern) => Patterns.GetOrAdd(pattern,
        p => new Regex(p, RegexOptions.CultureInvariant | RegexOptions.NonBacktracking));

    private static JsonSchema Schema(string schema) => Schemas.GetOrAdd(schema,
        // A registry per schema: one spec's $id never collides with another's, and nothing is looked up elsewhere.
        s => JsonSchema.FromText(s, new BuildOptions { SchemaRegistry = new SchemaRegistry() }));
}
