namespace Mimicry.Client;

/// <summary>Who the caller is, as the server authenticated them.</summary>
public sealed record Me(string Name, IReadOnlyList<string> Roles, string Via);

/// <summary>A user of the API and its role: admin, operator, reviewer, researcher or viewer.</summary>
public sealed record UserView(string Name, string Role, DateTimeOffset Created, string CreatedBy);

/// <summary>The body of <c>POST /users</c>.</summary>
public sealed record CreateUserRequest(string Name, string Role);

/// <summary>A token as listed: never its secret.</summary>
public sealed record TokenView(string Id, string User, string Label, DateTimeOffset Created, DateTimeOffset? Expires, DateTimeOffset? Revoked, string CreatedBy);

/// <summary>The body of <c>POST /tokens</c>: for whom, a label, and how many days it lasts (null: until revoked).</summary>
public sealed record CreateTokenRequest(string User, string? Label = null, int? ExpiresInDays = null);

/// <summary>A new token: <see cref="Token"/> is the secret, shown this once and never stored.</summary>
public sealed record CreatedToken(string Id, string User, string Label, DateTimeOffset? Expires, string Token);

/// <summary>One audited action.</summary>
public sealed record AuditEntryView(long Seq, DateTimeOffset At, string User, string Action, string Target, string Outcome, string? Detail, string? Remote);

/// <summary>The body of <c>POST /session</c>: the API token (or, with OIDC, an access token) to sign the browser in with.</summary>
public sealed record SignInRequest(string Token);

/// <summary>A browser's session: who, their roles, when it ends, and the CSRF token its changes must carry.</summary>
public sealed record SessionView(string Name, IReadOnlyList<string> Roles, DateTimeOffset? Expires, string? Csrf);
