using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Mimicry.Client;

namespace Mimicry.Api;

/// <summary>
/// Reads request bodies strictly: JSON only where JSON is expected, unknown fields and missing required ones refused,
/// and every failure a 4xx problem that names the field. The size limit is Kestrel's (<see cref="ApiOptions.MaxBodyBytes"/>).
/// </summary>
internal static class Bodies
{
    private static readonly JsonSerializerOptions Strict = new(MimicryJson.Options)
    {
        UnmappedMemberHandling = System.Text.Json.Serialization.JsonUnmappedMemberHandling.Disallow,
        RespectNullableAnnotations = true,
        RespectRequiredConstructorParameters = true,
    };

    /// <summary>The body as <typeparamref name="T"/>, or the problem to answer with. An empty body reads as <paramref name="empty"/> when given.</summary>
    public static async Task<(T? Value, IResult? Problem)> JsonAsync<T>(HttpRequest request, T? empty = null) where T : class
    {
        var (text, problem) = await TextAsync(request);
        if (problem is not null)
        {
            return (null, problem);
        }
        if (string.IsNullOrWhiteSpace(text))
        {
            return empty is not null ? (empty, null) : (null, Problems.BadRequest("the request needs a JSON body"));
        }
        if (request.ContentType is { } type && !type.StartsWith("application/json", StringComparison.OrdinalIgnoreCase))
        {
            return (null, Problems.Result(415, "Unsupported media type", $"send the body as application/json (got '{Shown(type)}')"));
        }
        try
        {
            var value = JsonSerializer.Deserialize<T>(text!, Strict);
            return value is null ? (null, Problems.BadRequest("the body must be a JSON object")) : (value, null);
        }
        catch (JsonException ex)
        {
            var path = ex.Path is { Length: > 1 } p ? p.TrimStart('$', '.') : null;
            var what = ex.Message.Contains("could not be mapped", StringComparison.Ordinal) ? "unknown field"
                : ex.Message.Contains("missing required", StringComparison.OrdinalIgnoreCase) || ex.Message.Contains("null", StringComparison.OrdinalIgnoreCase) ? "is required (and must not be null)"
                : "has the wrong type or is not valid JSON";
            var field = path ?? MissingField(ex.Message);
            return (null, Problems.BadRequest("the body is not valid", [field is { Length: > 0 } ? $"{field}: {what}" : $"body: {what}"]));
        }
    }

    /// <summary>The body as text (UTF-8), or 413 when it is over the limit.</summary>
    public static async Task<(string? Text, IResult? Problem)> TextAsync(HttpRequest request)
    {
        try
        {
            using var reader = new StreamReader(request.Body, new UTF8Encoding(false, throwOnInvalidBytes: true));
            return (await reader.ReadToEndAsync(request.HttpContext.RequestAborted), null);
        }
        catch (BadHttpRequestException ex) when (ex.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return (null, Problems.Result(413, "Payload too large", $"the body is larger than this server accepts ({request.HttpContext.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpMaxRequestBodySizeFeature>()?.MaxRequestBodySize} bytes)"));
        }
        catch (DecoderFallbackException)
        {
            return (null, Problems.BadRequest("the body is not valid UTF-8"));
        }
    }

    /// <summary>"JSON deserialization for type 'X' was missing required properties including: 'text'." → "text".</summary>
    private static string? MissingField(string message)
    {
        var at = message.IndexOf("including: '", StringComparison.Ordinal);
        if (at < 0)
        {
            return null;
        }
        var start = at + "including: '".Length;
        var end = message.IndexOf('\'', start);
        return end > start ? message[start..end] : null;
    }

    public static string Shown(string s) => new(s.Where(c => !char.IsControl(c)).Take(80).ToArray());
}
