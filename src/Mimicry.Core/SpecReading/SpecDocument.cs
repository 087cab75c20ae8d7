using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Mimicry.SpecReading;

/// <summary>Reads a spec file (YAML or JSON) into a JSON tree, so one validator serves both formats.</summary>
public static class SpecDocument
{
    /// <summary>The largest spec text read, in characters: far above any real spec (a prompt included).</summary>
    public const int MaxLength = 1_000_000;

    /// <summary>The most values (mappings, lists and scalars) a spec may hold.</summary>
    public const int MaxNodes = 100_000;

    /// <summary>How deeply mappings and lists may nest.</summary>
    public const int MaxDepth = 64;

    public static JsonNode? Parse(string fileName, string text)
    {
        if (text.Length > MaxLength)
        {
            throw new SpecException([$"{fileName}: the spec is {text.Length:N0} characters long; at most {MaxLength:N0} are read"]);
        }
        var trimmed = text.TrimStart();
        var isJson = fileName.EndsWith(".json", StringComparison.OrdinalIgnoreCase) || trimmed.StartsWith('{');
        if (isJson)
        {
            try
            {
                var json = JsonNode.Parse(text, documentOptions: new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true, MaxDepth = MaxDepth });
            CountNodes(json, fileName);
            return json;
            }
            catch (JsonException ex)
            {
                throw new SpecException([$"{fileName}: not valid JSON (line {ex.LineNumber + 1}): {FirstSentence(ex.Message)}"]);
            }
        }

        try
        {
            Prescan(text, fileName);
            var stream = new YamlStream();
            stream.Load(new StringReader(text));
            return stream.Documents.Count == 0 ? null : Convert(stream.Documents[0].RootNode, fileName, new Budget(), 0);
        }
        catch (YamlException ex)
        {
            throw new SpecException([$"{fileName}: not valid YAML (line {ex.Start.Line}, column {ex.Start.Column}): {FirstSentence(ex.Message)}"]);
        }
    }

    private static string FirstSentence(string message)
    {
        var cut = message.IndexOf(". ", StringComparison.Ordinal);
        return cut > 0 ? message[..cut] : message.TrimEnd('.');
    }

    /// <summary>
    /// Walks the YAML events once, without building anything (the loader recurses, and would overflow the stack on
    /// a deeply nested file before any check of ours ran): refuses aliases, deep nesting and too many values.
    /// </summary>
    private static void Prescan(string text, string fileName)
    {
        var parser = new Parser(new StringReader(text));
        var (depth, nodes) = (0, 0);
        while (parser.MoveNext())
        {
            switch (parser.Current)
            {
                case YamlDotNet.Core.Events.AnchorAlias alias:
                    throw new SpecException([$"{fileName}: line {alias.Start.Line}: aliases and anchors are not supported"]);
                case YamlDotNet.Core.Events.MappingStart or YamlDotNet.Core.Events.SequenceStart:
                    if (++depth > MaxDepth)
                    {
                        throw new SpecException([$"{fileName}: line {parser.Current.Start.Line}: nested more than {MaxDepth} levels deep"]);
                    }
                    nodes++;
                    break;
                case YamlDotNet.Core.Events.MappingEnd or YamlDotNet.Core.Events.SequenceEnd:
                    depth--;
                    break;
                case YamlDotNet.Core.Events.Scalar:
                    nodes++;
                    break;
            }
            if (nodes > MaxNodes)
            {
                throw new SpecException([$"{fileName}: the spec holds more than {MaxNodes:N0} values"]);
            }
        }
    }

    /// <summary>What converting one document may still use: nodes seen (each once), and how many.</summary>
    private sealed class Budget
    {
        public readonly HashSet<YamlNode> Seen = new(ReferenceEqualityComparer.Instance);
        public int Nodes;
    }

    private static JsonNode? Convert(YamlNode node, string fileName, Budget budget, int depth)
    {
        // YAML aliases arrive as the anchored node again: refusing a second visit stops a small file from expanding
        // into a huge spec (nested aliases grow exponentially), as anchors have no use in a spec anyway.
        if (node is YamlMappingNode or YamlSequenceNode && !budget.Seen.Add(node))
        {
            throw new SpecException([$"{fileName}: line {node.Start.Line}: aliases and anchors are not supported"]);
        }
        if (++budget.Nodes > MaxNodes)
        {
            throw new SpecException([$"{fileName}: the spec holds more than {MaxNodes:N0} values"]);
        }
        if (depth > MaxDepth)
        {
            throw new SpecException([$"{fileName}: line {node.Start.Line}: nested more than {MaxDepth} levels deep"]);
        }
        switch (node)
        {
            case YamlMappingNode map:
                var obj = new JsonObject();
                foreach (var (k, v) in map.Children)
                {
                    var key = (k as YamlScalarNode)?.Value
                        ?? throw new SpecException([$"{fileName}: line {k.Start.Line}: keys must be plain names"]);
                    if (obj.ContainsKey(key))
                    {
                        throw new SpecException([$"{fileName}: line {k.Start.Line}: field '{key}' appears twice"]);
                    }
                    obj[key] = Convert(v, fileName, budget, depth + 1);
                }
                return obj;
            case YamlSequenceNode seq:
                var arr = new JsonArray();
                foreach (var item in seq.Children)
                {
                    arr.Add(Convert(item, fileName, budget, depth + 1));
                }
                return arr;
            case YamlScalarNode scalar:
                return Scalar(scalar);
            default:
                throw new SpecException([$"{fileName}: line {node.Start.Line}: aliases and anchors are not supported"]);
        }
    }

    private static void CountNodes(JsonNode? root, string fileName)
    {
        var count = 0;
        var stack = new Stack<JsonNode?>();
        stack.Push(root);
        while (stack.Count > 0)
        {
            if (++count > MaxNodes)
            {
                throw new SpecException([$"{fileName}: the spec holds more than {MaxNodes:N0} values"]);
            }
            switch (stack.Pop())
            {
                case JsonObject o:
                    foreach (var (_, v) in o)
                    {
                        stack.Push(v);
                    }
                    break;
                case JsonArray a:
                    foreach (var v in a)
                    {
                        stack.Push(v);
                    }
                    break;
            }
        }
    }

    private static JsonNode? Scalar(YamlScalarNode scalar)
    {
        var value = scalar.Value ?? "";
        if (scalar.Style is ScalarStyle.SingleQuoted or ScalarStyle.DoubleQuoted or ScalarStyle.Literal or ScalarStyle.Folded)
        {
            return JsonValue.Create(value);
        }
        switch (value)
        {
            case "" or "~" or "null" or "Null" or "NULL":
                return null;
            case "true" or "True" or "TRUE":
                return JsonValue.Create(true);
            case "false" or "False" or "FALSE":
                return JsonValue.Create(false);
        }
        if (long.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var l))
        {
            return JsonValue.Create(l);
        }
        if (double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && !double.IsInfinity(d))
        {
            return JsonValue.Create(d);
        }
        return JsonValue.Create(value);
    }
}
