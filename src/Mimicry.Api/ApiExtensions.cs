using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Mimicry.Api.Auth;
using Mimicry.Api.Endpoints;
using Scalar.AspNetCore;

namespace Mimicry.Api;

/// <summary>Wires the API into a web host next to a silo: <see cref="AddMimicryApi"/> then <see cref="MapMimicryApi"/>.</summary>
public static partial class ApiExtensions
{
    public const string Prefix = "/api/v1";

    public static IServiceCollection AddMimicryApi(this IServiceCollection services, ApiOptions options, ApiHostInfo host)
    {
        var problems = options.Problems().ToList();
        if (problems.Count > 0)
        {
            throw new Mimicry.Storage.StoreException(string.Join("; ", problems));
        }
        services.AddSingleton(options);
        services.AddSingleton(host);
        services.AddSingleton<LoopSpecs>();
        services.AddSingleton<Audit>();
        services.AddSingleton<OpenStreams>();
        services.AddMimicryAuth(options);
        services.AddOpenApi("v1", o => o.AddDocumentTransformer((doc, _, _) =>
        {
            doc.Info.Title = "Mimicry API";
            doc.Info.Description = "Submit research loops, follow progress, read notebooks, answer probes, decide reviews. Every request needs 'Authorization: Bearer TOKEN'.";
            return Task.CompletedTask;
        }));
        services.Configure<Microsoft.AspNetCore.Server.Kestrel.Core.KestrelServerOptions>(k => k.Limits.MaxRequestBodySize = options.MaxBodyBytes);
        return services;
    }

    public static WebApplication MapMimicryApi(this WebApplication app)
    {
        app.UseExceptionHandler(e => e.Run(async context =>
        {
            // Never a stack trace on the wire: one line in the log, a plain 500 to the client.
            var error = context.Features.Get<IExceptionHandlerFeature>()?.Error;
            var logger = context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger("Mimicry.Api");
            if (error is Microsoft.AspNetCore.Http.BadHttpRequestException bad)
            {
                await Problems.Write(context, bad.StatusCode, "Bad request", "the request could not be read");
                return;
            }
            ApiLog.Failed(logger, error, context.Request.Method, context.Request.Path);
            await Problems.Write(context, 500, "Internal error", "the server failed this request; it is logged");
        }));
        app.Use(async (context, next) =>
        {
            // JSON and text only, never rendered as a page or framed by one.
            var headers = context.Response.Headers;
            headers.XContentTypeOptions = "nosniff";
            headers["Referrer-Policy"] = "no-referrer";
            headers.XFrameOptions = "DENY";
            // The API reference and the web UI set policies of their own (the UI's is as strict, with its own scripts).
            if (!context.Request.Path.StartsWithSegments("/api/reference") && !context.Request.Path.StartsWithSegments("/ui"))
            {
                headers.ContentSecurityPolicy = "default-src 'none'; frame-ancestors 'none'";
            }
            await next();
        });
        app.UseStatusCodePages(async s =>
        {
            if (s.HttpContext.Response.ContentLength is null && !s.HttpContext.Response.HasStarted)
            {
                var status = s.HttpContext.Response.StatusCode;
                await Problems.Write(s.HttpContext, status, status == 404 ? "Not found" : status == 405 ? "Method not allowed" : "Error", status == 404 ? "no such endpoint" : null);
            }
        });
        app.UseAuthentication();
        app.Use(async (context, next) =>
        {
            // The browser's cookie is an ambient credential: a change it carries must prove it came from our own page.
            if (WebSessions.NeedsCsrf(context) && !WebSessions.CsrfMatches(context))
            {
                await Problems.Write(context, 403, "Forbidden", $"a change made with the web UI's sign-in must carry the {WebSessions.CsrfHeader} header of its session (reload the page)");
                return;
            }
            await next();
        });
        app.UseAuthorization();
        var api = app.MapGroup(Prefix);
        api.MapLoops();
        api.MapForks();
        api.MapNotebooks();
        api.MapEvents();
        api.MapReviews();
        api.MapProbes();
        api.MapAccess();
        api.MapTools();
        api.MapModels();
        api.MapSessions();
        api.MapLoopDetails();
        app.MapOpenApi("/openapi/{documentName}.json").AllowAnonymous();
        app.MapScalarApiReference("/api/reference", o => o.WithTitle("Mimicry API").WithOpenApiRoutePattern("/openapi/{documentName}.json").DisableDefaultFonts()).AllowAnonymous();
        app.MapGet("/healthz", () => Results.Text("ok")).AllowAnonymous().ExcludeFromDescription();
        return app;
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "API request {Method} {Path} failed")]
    private static partial void LogFailed(ILogger logger, Exception? error, string method, string path);

    private static class ApiLog
    {
        public static void Failed(ILogger logger, Exception? error, string method, PathString path) => LogFailed(logger, error, method, path.Value ?? "");
    }
}
