using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Mimicry.Api.Auth;
using Mimicry.Client;
using Mimicry.SpecReading;
using Mimicry.Storage.Access;

namespace Mimicry.Api.Endpoints;

/// <summary>Who may do what (admins): users and roles, tokens (shown once), and the audit log. Plus "who am I" for everyone.</summary>
internal static class AccessEndpoints
{
    public const int MaxTokenDays = 3650;

    public static void MapAccess(this RouteGroupBuilder api)
    {
        api.MapGet("/me", (HttpContext c) => Results.Ok(new Me(Caller.Name(c.User),
            Roles.All.Where(c.User.IsInRole).ToList(), c.User.Identity?.AuthenticationType ?? "")))
            .WithSummary("Who the server takes you for, and your roles").Produces<Me>();
        api.MapGet("/users", async (IAccessStore access) => Results.Ok((await access.ListUsersAsync()).Select(User).ToList()))
            .RequireAuthorization(Roles.Policies.Admin).WithSummary("Every user and role").Produces<IReadOnlyList<UserView>>();
        api.MapPost("/users", AddUserAsync).RequireAuthorization(Roles.Policies.Admin).WithSummary("Add a user with one role")
            .Accepts<CreateUserRequest>("application/json").Produces<UserView>(201).ProducesProblem(400).ProducesProblem(409);
        api.MapDelete("/users/{name}", RemoveUserAsync).RequireAuthorization(Roles.Policies.Admin).WithSummary("Remove a user; their tokens stop working at once")
            .Produces(204).ProducesProblem(404).ProducesProblem(409);
        api.MapGet("/tokens", async (string? user, IAccessStore access) => Results.Ok((await access.ListTokensAsync(user)).Select(Token).ToList()))
            .RequireAuthorization(Roles.Policies.Admin).WithSummary("Tokens (never their secrets), newest first").Produces<IReadOnlyList<TokenView>>();
        api.MapPost("/tokens", CreateTokenAsync).RequireAuthorization(Roles.Policies.Admin).WithSummary("Create a token for a user; its secret is in this response only")
            .Accepts<CreateTokenRequest>("application/json").Produces<CreatedToken>(201).ProducesProblem(400).ProducesProblem(404);
        api.MapDelete("/tokens/{id}", RevokeTokenAsync).RequireAuthorization(Roles.Policies.Admin).WithSummary("Revoke a token; it stops working at once")
            .Produces(204).ProducesProblem(404);
        api.MapGet("/audit", AuditAsync).RequireAuthorization(Roles.Policies.Admin).WithSummary("The audit log, newest first (limit up to 1000; before=SEQ pages back)")
            .Produces<IReadOnlyList<AuditEntryView>>();
    }

    private static UserView User(UserRecord u) => new(u.Name, u.Role, u.Created, u.CreatedBy);

    private static TokenView Token(TokenRecord t) => new(t.Id, t.User, t.Label, t.Created, t.Expires, t.Revoked, t.CreatedBy);

    /// <summary>Every problem with a user's name and role ("field: problem").</summary>
    public static List<string> UserProblems(string? name, string? role)
    {
        var errors = new List<string>();
        if (name is null || !SpecReader.IsSlug(name))
        {
            errors.Add("name: must be 1-64 lower-case letters, digits, '.', '_' or '-', starting with a letter or digit (it is also the calibrator id a researcher answers as)");
        }
        if (role is null || !Roles.All.Contains(role))
        {
            errors.Add($"role: must be one of {string.Join(", ", Roles.All)} (got '{Bodies.Shown(role ?? "")}')");
        }
        return errors;
    }

    private static async Task<IResult> AddUserAsync(HttpContext context, IAccessStore access, Audit audit, TimeProvider time)
    {
        var (body, problem) = await Bodies.JsonAsync<CreateUserRequest>(context.Request);
        if (problem is not null)
        {
            return problem;
        }
        if (UserProblems(body!.Name, body.Role) is { Count: > 0 } errors)
        {
            return Problems.BadRequest("the user is not valid", errors);
        }
        return await audit.AuditedAsync(context, "user.add", body.Name, async () =>
        {
            var user = new UserRecord(body.Name, body.Role, time.GetUtcNow(), Caller.Name(context.User));
            return await access.AddUserAsync(user)
                ? Results.Json(User(user), MimicryJson.Options, statusCode: 201)
                : Problems.Conflict($"a user named '{body.Name}' exists");
        }, $"role {body.Role}");
    }

    private static Task<IResult> RemoveUserAsync(HttpContext context, string name, IAccessStore access, Audit audit, TimeProvider time) =>
        audit.AuditedAsync(context, "user.remove", name, async () =>
        {
            if (await access.GetUserAsync(name) is not { } user)
            {
                return Problems.NotFound($"no user named '{Bodies.Shown(name)}'");
            }
            if (user.Role == Roles.Admin && (await access.ListUsersAsync()).Count(u => u.Role == Roles.Admin) == 1)
            {
                return Problems.Conflict($"'{name}' is the last admin; add another admin first");
            }
            await access.RemoveUserAsync(name, time.GetUtcNow());
            return Results.NoContent();
        });

    private static async Task<IResult> CreateTokenAsync(HttpContext context, IAccessStore access, Audit audit, TimeProvider time)
    {
        var (body, problem) = await Bodies.JsonAsync<CreateTokenRequest>(context.Request);
        if (problem is not null)
        {
            return problem;
        }
        var errors = new List<string>();
        if (body!.Label is { } label && (label.Length > 100 || label.Any(char.IsControl)))
        {
            errors.Add("label: must be at most 100 characters without control characters");
        }
        if (body.ExpiresInDays is < 1 or > MaxTokenDays)
        {
            errors.Add($"expiresInDays: must be between 1 and {MaxTokenDays} (got {body.ExpiresInDays})");
        }
        if (errors.Count > 0)
        {
            return Problems.BadRequest("the token request is not valid", errors);
        }
        return await audit.AuditedAsync(context, "token.create", body.User ?? "", async () =>
        {
            if (body.User is null || await access.GetUserAsync(body.User) is null)
            {
                return Problems.NotFound($"no user named '{Bodies.Shown(body.User ?? "")}'; add it first (POST /users)");
            }
            var now = time.GetUtcNow();
            var (record, token) = ApiTokens.Create(body.User, body.Label ?? "", now, body.ExpiresInDays is { } d ? now.AddDays(d) : null, Caller.Name(context.User));
            await access.AddTokenAsync(record);
            return Results.Json(new CreatedToken(record.Id, record.User, record.Label, record.Expires, token), MimicryJson.Options, statusCode: 201);
        }, body.Label);
    }

    private static Task<IResult> RevokeTokenAsync(HttpContext context, string id, IAccessStore access, Audit audit, TimeProvider time) =>
        audit.AuditedAsync(context, "token.revoke", id, async () =>
            await access.RevokeTokenAsync(id, time.GetUtcNow()) ? Results.NoContent() : Problems.NotFound($"no active token '{Bodies.Shown(id)}'"));

    private static async Task<IResult> AuditAsync(int? limit, long? before, IAccessStore access)
    {
        if (limit is < 1 or > 1000)
        {
            return Problems.BadRequest("the query is not valid", [$"limit: must be between 1 and 1000 (got {limit})"]);
        }
        var entries = await access.ListAuditAsync(limit ?? 100, before);
        return Results.Ok(entries.Select(e => new AuditEntryView(e.Seq, e.At, e.User, e.Action, e.Target, e.Outcome, e.Detail, e.Remote)).ToList());
    }
}
