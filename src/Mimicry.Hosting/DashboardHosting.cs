using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Mimicry.Api.Auth;
using Orleans.Dashboard;

namespace Mimicry.Hosting;

/// <summary>The Orleans Dashboard under <see cref="Path"/>: served by the API's own server, for admins only.</summary>
public static class DashboardHosting
{
    public const string Path = "/dashboard";

    /// <summary>
    /// The dashboard's own page: its scripts, styles, fonts and data from this server only (nothing from a CDN), never
    /// framed. Its charts set inline styles, hence 'unsafe-inline' for styles — here only, never on the web UI; the
    /// dashboard shows grain types and counts, not model text.
    /// </summary>
    public const string ContentSecurityPolicy =
        "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    public static ISiloBuilder AddMimicryDashboard(this ISiloBuilder silo) => silo.AddDashboard();

    public static void MapMimicryDashboard(this WebApplication app)
    {
        app.Use(async (context, next) =>
        {
            if (context.Request.Path.StartsWithSegments(Path))
            {
                context.Response.Headers.ContentSecurityPolicy = ContentSecurityPolicy;
            }
            await next();
        });
        app.MapOrleansDashboard(routePrefix: Path).RequireAuthorization(Roles.Policies.Admin).ExcludeFromDescription();
    }
}
