using System.Collections.Frozen;
using System.Reflection;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Mimicry.Web;

/// <summary>
/// Serves the web UI from resources compiled into this assembly: nothing is read from disk or fetched from anywhere
/// else, and only the files that are there can be asked for. Every page is under a Content-Security-Policy that
/// allows scripts, styles, images and requests from this server only, and no inline script or style.
/// </summary>
public static class WebUi
{
    public const string Prefix = "/ui";

    /// <summary>The policy of every UI response: our own files only; nothing inline, no framing, no plugins, no form posts elsewhere.</summary>
    public const string ContentSecurityPolicy =
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; manifest-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

    private static readonly FrozenDictionary<string, Asset> Assets = Load();

    private sealed record Asset(byte[] Bytes, string ContentType, string ETag);

    private static FrozenDictionary<string, Asset> Load()
    {
        var assembly = typeof(WebUi).Assembly;
        var assets = new Dictionary<string, Asset>(StringComparer.Ordinal);
        foreach (var name in assembly.GetManifestResourceNames().Where(n => n.StartsWith("ui/", StringComparison.Ordinal)))
        {
            using var stream = assembly.GetManifestResourceStream(name)!;
            using var copy = new MemoryStream();
            stream.CopyTo(copy);
            var bytes = copy.ToArray();
            var path = name["ui/".Length..].Replace('\\', '/');
            assets[path] = new Asset(bytes, TypeOf(path), $"\"{Convert.ToHexStringLower(SHA256.HashData(bytes))[..16]}\"");
        }
        return assets.ToFrozenDictionary(StringComparer.Ordinal);
    }

    private static string TypeOf(string path) => Path.GetExtension(path) switch
    {
        ".html" => "text/html; charset=utf-8",
        ".js" => "text/javascript; charset=utf-8",
        ".css" => "text/css; charset=utf-8",
        ".svg" => "image/svg+xml",
        ".png" => "image/png",
        _ => "application/octet-stream",
    };

    /// <summary>The names of the files the UI is made of (for tests and docs).</summary>
    public static IReadOnlyCollection<string> Files => Assets.Keys;

    public static WebApplication MapMimicryWeb(this WebApplication app)
    {
        app.MapGet("/", () => Results.Redirect(Prefix + "/")).AllowAnonymous().ExcludeFromDescription();
        app.MapGet(Prefix + "/{**path}", Serve).AllowAnonymous().ExcludeFromDescription();
        return app;
    }

    private static IResult Serve(HttpContext context, string? path)
    {
        // The pages are the same for everyone; what they show comes from the API, which checks who is asking.
        if (context.Request.Path.Value is Prefix)
        {
            return Results.Redirect(Prefix + "/"); // so the page's relative paths resolve under /ui/
        }
        var name = string.IsNullOrEmpty(path) ? "index.html" : path;
        var headers = context.Response.Headers;
        headers.ContentSecurityPolicy = ContentSecurityPolicy;
        headers.CacheControl = "no-cache";
        if (!Assets.TryGetValue(name, out var asset))
        {
            return Results.Text("not found", "text/plain; charset=utf-8", statusCode: 404);
        }
        headers.ETag = asset.ETag;
        if (context.Request.Headers.IfNoneMatch.ToString() == asset.ETag)
        {
            return Results.StatusCode(304);
        }
        return Results.Bytes(asset.Bytes, asset.ContentType);
    }
}
