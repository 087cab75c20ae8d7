using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace Mimicry.Api;

/// <summary>
/// Errors as RFC 9457 problem details. <c>errors</c> lists every problem of a refused spec or body as
/// "field.path: problem", so a client can show them all at once, as the CLI does for a spec file.
/// </summary>
public static class Problems
{
    public static IResult Result(int status, string title, string? detail = null, IReadOnlyList<string>? errors = null) =>
        new ProblemResult(status, title, detail, errors);

    public static IResult BadRequest(string detail, IReadOnlyList<string>? errors = null) => Result(400, "Bad request", detail, errors);

    public static IResult NotFound(string detail) => Result(404, "Not found", detail);

    public static IResult Conflict(string detail) => Result(409, "Conflict", detail);

    public static Task Write(HttpContext context, int status, string title, string? detail, IReadOnlyList<string>? errors = null)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/problem+json";
        var body = new Dictionary<string, object?>
        {
            ["type"] = $"https://httpstatuses.io/{status}",
            ["title"] = title,
            ["status"] = status,
        };
        if (detail is not null)
        {
            body["detail"] = detail;
        }
        if (errors is { Count: > 0 })
        {
            body["errors"] = errors;
        }
        return context.Response.WriteAsync(JsonSerializer.Serialize(body));
    }

    private sealed class ProblemResult(int status, string title, string? detail, IReadOnlyList<string>? errors) : IResult, IStatusCodeHttpResult
    {
        public int? StatusCode => status;

        public Task ExecuteAsync(HttpContext httpContext) => Write(httpContext, status, title, detail, errors);
    }
}
