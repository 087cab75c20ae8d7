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
                // Our tokens start with mim_; anything else is a JWT from the organization's provider (when one is configured).
                o.ForwardDefaultSelector = ctx =>
                    options.Oidc.Enabled && ApiTokenHandler.BearerToken(ctx.Request.Headers.Authorization.ToString()) is { } t && !t.StartsWith(ApiTokens.Prefix, StringComparison.Ordinal)
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
