namespace Mimicry.Api.Auth;

/// <summary>The roles of docs/security.md and the policies endpoints require.</summary>
public static class Roles
{
    public const string Admin = "admin";
    public const string Operator = "operator";
    public const string Reviewer = "reviewer";
    public const string Researcher = "researcher";
    public const string Viewer = "viewer";

    public static readonly IReadOnlyList<string> All = [Admin, Operator, Reviewer, Researcher, Viewer];

    /// <summary>Policy names, one per kind of action.</summary>
    public static class Policies
    {
        /// <summary>Read loops, notebooks and reviews: everyone but a researcher (who sees only their probes).</summary>
        public const string Read = "read";
        /// <summary>Submit, cancel, resume, fork.</summary>
        public const string Operate = "operate";
        /// <summary>Approve, pick, reject held days.</summary>
        public const string Review = "review";
        /// <summary>The probe inbox: researchers see their own; readers see all.</summary>
        public const string Probes = "probes";
        /// <summary>Answer and rate a probe: its own calibrator only (checked per probe).</summary>
        public const string Answer = "answer";
        /// <summary>Users, tokens, the audit log.</summary>
        public const string Admin = "admin";
    }
}
