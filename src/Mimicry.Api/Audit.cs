using System.Security.Claims;
using Microsoft.AspNetCore.Http;
using Mimicry.Storage.Access;

namespace Mimicry.Api;

/// <summary>Writes who did what, when, from where and how it ended, for every action that changes state.</summary>
public sealed class Audit(IAccessStore access, TimeProvider time)
{
    public Task RecordAsync(HttpContext context, string action, string target, string outcome, string? detail = null) =>
        access.AppendAuditAsync(new AuditRecord(0, time.GetUtcNow(), Caller.Name(context.User), action, Clip(target, 300), outcome,
            detail is null ? null : Clip(detail, 2000), context.Connection.RemoteIpAddress?.ToString()));

    /// <summary>Runs an action and audits it: "ok" when it returns a 2xx result, else the status it was refused with.</summary>
    public async Task<IResult> AuditedAsync(HttpContext context, string action, string target, Func<Task<IResult>> run, string? detail = null)
    {
        IResult result;
        try
        {
            result = await run();
        }
        catch
        {
            await RecordAsync(context, action, target, "failed", detail);
            throw;
        }
        var status = (result as IStatusCodeHttpResult)?.StatusCode ?? 200;
        await RecordAsync(context, action, target, status is >= 200 and < 300 ? "ok" : $"refused ({status})", detail);
        return result;
    }

    private static string Clip(string s, int max) => s.Length <= max ? s : s[..max];
}

/// <summary>The signed-in caller.</summary>
public static class Caller
{
    public static string Name(ClaimsPrincipal user) => user.Identity?.Name ?? "anonymous";

    public static bool Is(ClaimsPrincipal user, string role) => user.IsInRole(role);
}
