using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Mimicry.Specs;

/// <summary>Reads a spec file (YAML or JSON) into a JSON tree, so one validator serves both formats.</summary>
public static class SpecDocument
{
    public static JsonNode? Parse(string fileName, string text)
    {
        var trimmed = text.TrimStart();
        var isJson = fileName.EndsWith(".json", StringComparison.OrdinalIgnoreCase) || trimmed.StartsWith('{');
        if (isJson)
        {
            try
            {
                return JsonNode.Parse(text, documentOptions: new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
            }
            catch (JsonException ex)
            {
                throw new SpecException([$"{fileName}: not valid JSON (line {ex.LineNumber + 1}): {FirstSentence(ex.Message)}"]);
            }
        }

        try
        {
            var stream = new YamlStream();
            stream.Load(new StringReader(text));
            return stream.Documents.Count == 0 ? null : Convert(stream.Documents[0].RootNode, fileName);
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

    private static JsonNode? Convert(YamlNode node, string fileName)
    {
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
                    obj[key] = Convert(v, fileName);
                }
                return obj;
            case YamlSequenceNode seq:
                var arr = new JsonArray();
                foreach (var item in seq.Children)
                {
                    arr.Add(Convert(item, fileName));
                }
                return arr;
            case YamlScalarNode scalar:
                return Scalar(scalar);
            default:
                throw new SpecException([$"{fileName}: line {node.Start.Line}: aliases and anchors are not supported"]);
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
