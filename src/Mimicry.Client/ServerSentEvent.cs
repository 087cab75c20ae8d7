using System.Text;

namespace Mimicry.Client;

/// <summary>One Server-Sent Event (text/event-stream): its name, id and data lines joined.</summary>
internal sealed record ServerSentEvent(string? Event, string? Id, string Data)
{
    /// <summary>Reads the next event; null when the stream ends. Comment lines (keep-alives) are skipped.</summary>
    public static async Task<ServerSentEvent?> ReadAsync(TextReader reader, CancellationToken ct)
    {
        string? name = null, id = null;
        var data = new StringBuilder();
        var any = false;
        while (await reader.ReadLineAsync(ct) is { } line)
        {
            if (line.Length == 0)
            {
                if (any)
                {
                    return new ServerSentEvent(name, id, data.ToString());
                }
                continue;
            }
            if (line[0] == ':')
            {
                continue;
            }
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            var field = colon < 0 ? line : line[..colon];
            var value = colon < 0 ? "" : line[(colon + 1)..].TrimStart(' ');
            switch (field)
            {
                case "event":
                    name = value;
                    any = true;
                    break;
                case "id":
                    id = value;
                    break;
                case "data":
                    if (data.Length > 0)
                    {
                        data.Append('\n');
                    }
                    data.Append(value);
                    any = true;
                    break;
            }
        }
        return null;
    }
}
