namespace Mimicry.Storage.Access;

/// <summary>A person or program that may call the API, with the one role that says what it may do.</summary>
public sealed record UserRecord(string Name, string Role, DateTimeOffset Created, string CreatedBy);

/// <summary>
/// An API token as stored: never the secret, only a salted SHA-256 of it (the secret is 256 random bits, so a
/// fast hash is enough). <see cref="Id"/> is the public part of the token that finds this row.
/// </summary>
public sealed record TokenRecord(
    string Id, string User, string Label, byte[] Salt, byte[] Hash, DateTimeOffset Created, DateTimeOffset? Expires, DateTimeOffset? Revoked, string CreatedBy);

/// <summary>One audited action: who did what to which target, from where, and how it ended.</summary>
public sealed record AuditRecord(long Seq, DateTimeOffset At, string User, string Action, string Target, string Outcome, string? Detail, string? Remote);
