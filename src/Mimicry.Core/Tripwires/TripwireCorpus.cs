using System.Globalization;
using System.Text.Json;

namespace Mimicry.Tripwires;

/// <summary>One labelled text of a tripwire corpus (tests/tripwire-corpus/README.md).</summary>
public sealed record CorpusText(string Id, bool ShouldTrip, string Category, string Subcategory, DateTimeOffset Anchor, string Text);

/// <summary>
/// Reads a labelled corpus: JSON Lines, one text per line with id, label (trip or benign), category, subcategory,
/// anchor and text. A bad line is refused with its line number and field, and nothing is scored.
/// </summary>
public static class TripwireCorpus
{
    /// <summary>At most this many texts: a corpus is a measuring stick, not a data set to stream.</summary>
    public const int MaxTexts = 100_000;

    public static IReadOnlyList<CorpusText> Parse(string jsonLines, string source = "corpus")
    {
        var texts = new List<CorpusText>();
        var ids = new HashSet<string>(StringComparer.Ordinal);
        var lineNumber = 0;
        foreach (var raw in jsonLines.Split('\n'))
        {
            lineNumber++;
            var line = raw.TrimEnd('\r');
            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }
            if (texts.Count == MaxTexts)
            {
                throw new TripwireCorpusException($"{source}: more than {MaxTexts:N0} texts");
            }
            string where = $"{source}, line {lineNumber}";
            JsonElement root;
            try
            {
                using var doc = JsonDocument.Parse(line);
                root = doc.RootElement.Clone();
            }
            catch (JsonException ex)
            {
                throw new TripwireCorpusException($"{where}: not a JSON object ({ex.Message.Split('.')[0]})");
            }
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw new TripwireCorpusException($"{where}: not a JSON object");
            }
            var id = Field(root, "id", where);
            if (!ids.Add(id))
            {
                throw new TripwireCorpusException($"{where}: id: '{id}' appears twice");
            }
            var label = Field(root, "label", where);
            if (label is not ("trip" or "benign"))
            {
                throw new TripwireCorpusException($"{where}: label: must be 'trip' or 'benign' (got '{label}')");
            }
            var anchorText = Field(root, "anchor", where);
            if (!DateTimeOffset.TryParse(anchorText, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var anchor))
            {
                throw new TripwireCorpusException($"{where}: anchor: not an ISO 8601 time (got '{anchorText}')");
            }
            texts.Add(new CorpusText(id, label == "trip", Field(root, "category", where), Field(root, "subcategory", where), anchor, Field(root, "text", where, allowLong: true)));
        }
        if (texts.Count == 0)
        {
            throw new TripwireCorpusException($"{source}: no texts (one JSON object per line)");
        }
        return texts;
    }

    private static string Field(JsonElement root, string name, string where, bool allowLong = false)
    {
        if (!root.TryGetProperty(name, out var value) || value.ValueKind != JsonValueKind.String || value.GetString() is not { Length: > 0 } text)
        {
            throw new TripwireCorpusException($"{where}: {name}: missing or not a non-empty string");
        }
        if (!allowLong && text.Length > 200)
        {
            throw new TripwireCorpusException($"{where}: {name}: longer than 200 characters");
        }
        return text;
    }
}

/// <summary>A corpus that cannot be scored; the message names the line and the field.</summary>
public sealed class TripwireCorpusException(string message) : Exception(message);
