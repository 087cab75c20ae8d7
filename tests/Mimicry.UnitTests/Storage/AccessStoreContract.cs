using Mimicry.Storage.Access;

namespace Mimicry.UnitTests.Storage;

/// <summary>
/// What every store's <see cref="IAccessStore"/> must do: users added once and listed by name, removing one revokes
/// its tokens, tokens round-trip (never a secret, only salt and hash) and are revoked once, and the audit log is
/// read newest first in pages. Each store has a subclass that says how to open a fresh one (StoreContracts.*.cs).
/// </summary>
public abstract class AccessStoreContract
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 1, 9, 0, 0, TimeSpan.Zero);

    /// <summary>A fresh store's access part, and what to dispose when done.</summary>
    protected abstract (IAsyncDisposable Owner, IAccessStore Access) OpenFresh();

    private static TokenRecord Token(string id, string user, int minutes, DateTimeOffset? expires = null) =>
        new(id, user, $"{user}'s laptop", [1, 2, 3, (byte)minutes], [9, 8, 7, 0, 255], T0.AddMinutes(minutes), expires, null, "admin");

    [Fact]
    public async Task Users_AreAddedOnce_ListedByName_AndRemovingOneRevokesItsTokens()
    {
        var (owner, access) = OpenFresh();
        await using var _ = owner;
        Assert.True(await access.AddUserAsync(new UserRecord("zoe", "reviewer", T0, "admin")));
        Assert.True(await access.AddUserAsync(new UserRecord("ada", "researcher", T0.AddMinutes(1), "admin")));
        Assert.False(await access.AddUserAsync(new UserRecord("zoe", "admin", T0, "mallory")));
        Assert.Equal([("ada", "researcher"), ("zoe", "reviewer")], (await access.ListUsersAsync()).Select(u => (u.Name, u.Role)));
        Assert.Equal(new UserRecord("zoe", "reviewer", T0, "admin"), await access.GetUserAsync("zoe"));

        await access.AddTokenAsync(Token("t-zoe", "zoe", 2));
        await access.AddTokenAsync(Token("t-ada", "ada", 3));
        var at = T0.AddHours(1);
        Assert.True(await access.RemoveUserAsync("zoe", at));
        Assert.False(await access.RemoveUserAsync("zoe", at));
        Assert.Null(await access.GetUserAsync("zoe"));
        Assert.Equal(at, (await access.GetTokenAsync("t-zoe"))!.Revoked);
        Assert.Null((await access.GetTokenAsync("t-ada"))!.Revoked);
    }

    [Fact]
    public async Task Tokens_RoundTripWhole_ListNewestFirst_AndAreRevokedOnce()
    {
        var (owner, access) = OpenFresh();
        await using var _ = owner;
        await access.AddUserAsync(new UserRecord("ada", "researcher", T0, "admin"));
        await access.AddUserAsync(new UserRecord("bob", "operator", T0, "admin"));
        var expiring = Token("t1", "ada", 1, expires: T0.AddDays(30));
        await access.AddTokenAsync(expiring);
        await access.AddTokenAsync(Token("t2", "ada", 5));
        await access.AddTokenAsync(Token("t3", "bob", 3));

        var read = await access.GetTokenAsync("t1");
        Assert.Equal((expiring.Id, expiring.User, expiring.Label, expiring.Created, expiring.Expires, expiring.CreatedBy), (read!.Id, read.User, read.Label, read.Created, read.Expires, read.CreatedBy));
        Assert.Equal(expiring.Salt, read.Salt);
        Assert.Equal(expiring.Hash, read.Hash);
        Assert.Null(await access.GetTokenAsync("nope"));
        Assert.Equal(["t2", "t1"], (await access.ListTokensAsync("ada")).Select(t => t.Id));
        Assert.Equal(["t2", "t3", "t1"], (await access.ListTokensAsync(null)).Select(t => t.Id));

        Assert.True(await access.RevokeTokenAsync("t2", T0.AddHours(2)));
        Assert.False(await access.RevokeTokenAsync("t2", T0.AddHours(3)));
        Assert.False(await access.RevokeTokenAsync("nope", T0.AddHours(3)));
        Assert.Equal(T0.AddHours(2), (await access.GetTokenAsync("t2"))!.Revoked);
    }

    [Fact]
    public async Task Audit_IsReadNewestFirst_InPages()
    {
        var (owner, access) = OpenFresh();
        await using var _ = owner;
        for (var i = 0; i < 5; i++)
        {
            await access.AppendAuditAsync(new AuditRecord(0, T0.AddMinutes(i), "ada", "loop.submit", $"loop-{i}", i == 3 ? "refused" : "ok", i == 3 ? "budget: too large" : null, i == 0 ? null : "127.0.0.1"));
        }
        var first = await access.ListAuditAsync(2, null);
        Assert.Equal(["loop-4", "loop-3"], first.Select(a => a.Target));
        Assert.Equal((T0.AddMinutes(3), "ada", "loop.submit", "refused", "budget: too large", "127.0.0.1"), (first[1].At, first[1].User, first[1].Action, first[1].Outcome, first[1].Detail, first[1].Remote));
        var rest = await access.ListAuditAsync(10, first[^1].Seq);
        Assert.Equal(["loop-2", "loop-1", "loop-0"], rest.Select(a => a.Target));
        Assert.Null(rest[^1].Remote);
        Assert.True(first[0].Seq > first[1].Seq && first[1].Seq > rest[0].Seq);
    }
}
