using System.Net;

namespace Mimicry.Client;

/// <summary>
/// The server refused or failed a request. <see cref="Errors"/> lists every problem for a refused spec or body
/// ("field.path: problem"); <see cref="Detail"/> is the one-sentence reason otherwise.
/// </summary>
public sealed class MimicryApiException(HttpStatusCode status, string title, string? detail, IReadOnlyList<string> errors)
    : Exception(errors.Count > 0 ? string.Join(Environment.NewLine, errors) : detail ?? title)
{
    public HttpStatusCode Status { get; } = status;

    public string Title { get; } = title;

    public string? Detail { get; } = detail;

    public IReadOnlyList<string> Errors { get; } = errors;
}
