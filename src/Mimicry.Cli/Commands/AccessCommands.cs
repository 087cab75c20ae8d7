using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Mimicry.Client;

namespace Mimicry.Cli.Commands;

/// <summary><c>mimicry users|tokens|audit</c>: an admin's view of who may call the API and what they did.</summary>
internal static class AccessCommands
{
    public static Command Users()
    {
        var name = new Argument<string>("name") { Description = "The user's name (for a researcher: the calibrator id in specs)" };
        var role = new Option<string>("--role") { Description = "admin, operator, reviewer, researcher or viewer", Required = true };
        role.AcceptOnlyFromAmong("admin", "operator", "reviewer", "researcher", "viewer");
        var add = new Command("add", "Add a user with one role") { name, role };
        ApiCommand.Wire(add, async (s, parse, ct) =>
        {
            var u = await s.Client.AddUserAsync(parse.GetRequiredValue(name), parse.GetRequiredValue(role), ct);
            await Console.Out.WriteLineAsync($"Added user '{u.Name}' ({u.Role}). Give them a token with: mimicry tokens create {u.Name}");
            return ExitCodes.Done;
        });
        var list = new Command("list", "List users and roles") { CommonOptions.Json("Print a JSON array") };
        ApiCommand.Wire(list, async (s, parse, ct) =>
        {
            var users = await s.Client.ListUsersAsync(ct);
            if (parse.GetValue<bool>("--json"))
            {
                await Console.Out.WriteLineAsync(JsonSerializer.Serialize(users, MimicryJson.Options));
                return ExitCodes.Done;
            }
            foreach (var u in users)
            {
                await Console.Out.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"{u.Name}  {u.Role}  added {u.Created:yyyy-MM-dd} by {Mimicry.Text.InertText.ForTerminal(u.CreatedBy)}"));
            }
            return ExitCodes.Done;
        });
        var removeName = new Argument<string>("name") { Description = "The user to remove" };
        var remove = new Command("remove", "Remove a user; their tokens stop working at once") { removeName };
        ApiCommand.Wire(remove, async (s, parse, ct) =>
        {
            await s.Client.RemoveUserAsync(parse.GetRequiredValue(removeName), ct);
            await Console.Out.WriteLineAsync($"Removed user '{parse.GetRequiredValue(removeName)}'; their tokens are revoked.");
            return ExitCodes.Done;
        });
        return new Command("users", "Users of the API and their roles (admin)") { add, list, remove };
    }

    public static Command Tokens()
    {
        var user = new Argument<string>("user") { Description = "Whose token" };
        var label = new Option<string?>("--label") { Description = "What it is for (shown in 'tokens list')" };
        var days = new Option<int?>("--expires-in-days") { Description = "Days until it expires (default: until revoked)" };
        var create = new Command("create", "Create a token for a user and print it, once") { user, label, days };
        ApiCommand.Wire(create, async (s, parse, ct) =>
        {
            var t = await s.Client.CreateTokenAsync(new CreateTokenRequest(parse.GetRequiredValue(user), parse.GetValue(label), parse.GetValue(days)), ct);
            await Console.Error.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"Token {t.Id} for '{t.User}'{(t.Expires is { } e ? $", expires {e:yyyy-MM-dd HH:mm}Z" : "")}; shown once, below. The server keeps only a salted hash."));
            await Console.Out.WriteLineAsync(t.Token);
            return ExitCodes.Done;
        });
        var forUser = new Option<string?>("--user") { Description = "Only this user's tokens" };
        var list = new Command("list", "List tokens (never their secrets)") { forUser };
        ApiCommand.Wire(list, async (s, parse, ct) =>
        {
            foreach (var t in await s.Client.ListTokensAsync(parse.GetValue(forUser), ct))
            {
                var state = t.Revoked is { } r ? string.Create(CultureInfo.InvariantCulture, $"revoked {r:yyyy-MM-dd}") : t.Expires is { } e ? string.Create(CultureInfo.InvariantCulture, $"expires {e:yyyy-MM-dd}") : "active";
                await Console.Out.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"{t.Id}  {t.User}  {state}  created {t.Created:yyyy-MM-dd} by {t.CreatedBy}  {Mimicry.Text.InertText.ForTerminal(t.Label)}"));
            }
            return ExitCodes.Done;
        });
        var id = new Argument<string>("id") { Description = "The token's id (from 'tokens list')" };
        var revoke = new Command("revoke", "Revoke a token; it stops working at once") { id };
        ApiCommand.Wire(revoke, async (s, parse, ct) =>
        {
            await s.Client.RevokeTokenAsync(parse.GetRequiredValue(id), ct);
            await Console.Out.WriteLineAsync($"Revoked token {parse.GetRequiredValue(id)}.");
            return ExitCodes.Done;
        });
        return new Command("tokens", "API tokens (admin)") { create, list, revoke };
    }

    public static Command Audit()
    {
        var limit = new Option<int>("--limit") { Description = "How many entries, newest first (1-1000)", DefaultValueFactory = _ => 50 };
        var json = CommonOptions.Json("Print a JSON array");
        var command = new Command("audit", "Who did what, when, from where (admin)") { limit, json };
        ApiCommand.Wire(command, async (s, parse, ct) =>
        {
            var entries = await s.Client.ListAuditAsync(parse.GetValue(limit), null, ct);
            if (parse.GetValue(json))
            {
                await Console.Out.WriteLineAsync(JsonSerializer.Serialize(entries, MimicryJson.Options));
                return ExitCodes.Done;
            }
            foreach (var e in entries)
            {
                await Console.Out.WriteLineAsync(Mimicry.Text.InertText.ForTerminal(string.Create(CultureInfo.InvariantCulture,
                    $"{e.At:yyyy-MM-dd HH:mm:ss}Z  {e.User}  {e.Action} {e.Target}  {e.Outcome}{(e.Detail is { } d ? $"  ({d})" : "")}{(e.Remote is { } r ? $"  from {r}" : "")}")));
            }
            return ExitCodes.Done;
        });
        return command;
    }
}
