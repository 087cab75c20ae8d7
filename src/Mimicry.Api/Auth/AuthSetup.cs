using System.Text;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.Tokens;

namespace Mimicry.Api.Auth;

/// <summary>Sign-in (API tokens, and JWT bearer when configured) and one policy per kind of action.</summary>
internal static class AuthSetup
{
    private const string Selector = "Mimicry";

    public static IServiceCollection AddMimicryAuth(this IServiceCollection services, ApiOptions options)
    {
        var auth = services.AddAuthentication(Selector)
            .AddPolicyScheme(Selector, "API token or OIDC", o =>
            {
                // Our tokens start with mim_; anything else is a JWT from the organization's provider (when one is
                // configured), in the Authorization header or, for a browser signed in with one, the session cookie.
                o.ForwardDefaultSelector = ctx =>
                    options.Oidc.Enabled && WebSessions.PresentedToken(ctx.Request) is { } t && !t.StartsWith(ApiTokens.Prefix, StringComparison.Ordinal)
                        ? JwtBearerDefaults.AuthenticationScheme
                        : ApiTokenHandler.SchemeName;
                // One shape for every refusal: problem details from our handler.
                o.ForwardChallenge = ApiTokenHandler.SchemeName;
                o.ForwardForbid = ApiTokenHandler.SchemeName;
            })
            .AddScheme<AuthenticationSchemeOptions, ApiTokenHandler>(ApiTokenHandler.SchemeName, null);
        if (options.Oidc.Enabled)
        {
            var oidc = options.Oidc;
            auth.AddJwtBearer(JwtBearerDefaults.AuthenticationScheme, o =>
            {
                o.MapInboundClaims = false;
                o.Events = new JwtBearerEvents
                {
                    // A browser signed in with an OIDC token carries it in the session cookie, not a header.
                    OnMessageReceived = ctx =>
                    {
                        if (ctx.Request.Headers.Authorization.Count == 0 && ctx.Request.Cookies[WebSessions.Cookie] is { Length: > 0 } cookie)
                        {
                            ctx.Token = cookie;
                            ctx.HttpContext.Items[WebSessions.ViaClaim] = WebSessions.ViaCookie;
                        }
                        return Task.CompletedTask;
                    },
                    OnTokenValidated = ctx =>
                    {
                        if (ctx.HttpContext.Items.ContainsKey(WebSessions.ViaClaim) && ctx.Principal?.Identity is System.Security.Claims.ClaimsIdentity identity)
                        {
                            identity.AddClaim(new System.Security.Claims.Claim(WebSessions.ViaClaim, WebSessions.ViaCookie));
                        }
                        return Task.CompletedTask;
                    },
                };
                if (!string.IsNullOrWhiteSpace(oidc.Authority))
                {
                    o.Authority = oidc.Authority;
                }
                o.Audience = oidc.Audience;
                o.TokenValidationParameters = new TokenValidationParameters
                {
                    ValidateIssuer = !string.IsNullOrWhiteSpace(oidc.Issuer) || !string.IsNullOrWhiteSpace(oidc.Authority),
                    ValidIssuer = oidc.Issuer,
                    ValidAudience = oidc.Audience,
                    ValidateLifetime = true,
                    RequireExpirationTime = true,
                    ClockSkew = TimeSpan.FromSeconds(30),
                    NameClaimType = oidc.NameClaim,
                    RoleClaimType = oidc.RoleClaim,
                    IssuerSigningKey = string.IsNullOrWhiteSpace(oidc.SigningKey) ? null : new SymmetricSecurityKey(Encoding.UTF8.GetBytes(oidc.SigningKey)),
                };
            });
        }
        services.AddAuthorizationBuilder()
            .SetFallbackPolicy(new Microsoft.AspNetCore.Authorization.AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build())
            .AddPolicy(Roles.Policies.Read, p => p.RequireRole(Roles.Admin, Roles.Operator, Roles.Reviewer, Roles.Viewer))
            .AddPolicy(Roles.Policies.Operate, p => p.RequireRole(Roles.Admin, Roles.Operator))
            .AddPolicy(Roles.Policies.Review, p => p.RequireRole(Roles.Admin, Roles.Reviewer))
            .AddPolicy(Roles.Policies.Probes, p => p.RequireRole(Roles.Admin, Roles.Operator, Roles.Reviewer, Roles.Viewer, Roles.Researcher))
            .AddPolicy(Roles.Policies.Answer, p => p.RequireRole(Roles.Admin, Roles.Researcher))
            .AddPolicy(Roles.Policies.Admin, p => p.RequireRole(Roles.Admin));
        return services;
    }
}
