using System.Net;
using Microsoft.EntityFrameworkCore;
using Xuhui.Crm.Domain.Users;
using Xuhui.Crm.Web.Tests.Infrastructure;

namespace Xuhui.Crm.Web.Tests.Users;

/// <summary>User administration leaves an audit trail (who, when, what changed) that never holds a password or its hash.</summary>
public sealed class UserAuditTests(CrmFactory factory) : IClassFixture<CrmFactory>
{
    private static List<string> Actions(System.Text.Json.Nodes.JsonNode trail) => trail.AsArray().Select(e => e.Str("action")!).ToList();

    private static string? NewValue(System.Text.Json.Nodes.JsonNode entry, string field) =>
        entry["changes"]!.AsArray().FirstOrDefault(c => c.Str("field") == field).Str("new");

    [Fact]
    public async Task Creation_role_change_password_reset_deactivation_and_reactivation_each_leave_an_entry_without_secrets()
    {
        using var admin = await factory.AdminAsync();
        var adminId = (await admin.GetJsonAsync("/api/auth/me")).Id();
        const string firstPassword = "First-pass-2026x";
        const string resetPassword = "Reset-pass-2026y";
        var created = await admin.PostJsonAsync(
            "/api/users", new { userName = "audited1", displayName = "审计对象", email = "a1@example.test", role = "officer", password = firstPassword }, HttpStatusCode.Created);
        var id = created.Id();
        var successor = await factory.CreateUserAsync(Roles.Officer);

        var roleChanged = await admin.PutJsonAsync($"/api/users/{id}", new { version = created.Version(), displayName = "审计对象", email = "a1@example.test", role = "supervisor" }, HttpStatusCode.OK);
        var reset = await admin.PutJsonAsync($"/api/users/{id}", new { version = roleChanged.Version(), displayName = "审计对象", email = "a1@example.test", role = "supervisor", password = resetPassword }, HttpStatusCode.OK);
        // Saving the form unchanged is no administrative act.
        var same = await admin.PutJsonAsync($"/api/users/{id}", new { version = reset.Version(), displayName = "审计对象", email = "a1@example.test", role = "supervisor" }, HttpStatusCode.OK);
        await admin.PostJsonAsync($"/api/users/{id}/deactivate", new { handOverTo = successor.Id }, HttpStatusCode.OK);
        var back = await admin.PostJsonAsync($"/api/users/{id}/reactivate", new { }, HttpStatusCode.OK);
        Assert.True(back["isActive"]!.GetValue<bool>());
        using (var client = await factory.LoginAsync("audited1", resetPassword))
        {
            await client.GetJsonAsync("/api/firms");
        }

        var trail = await admin.GetJsonAsync($"/api/users/{id}/audit");
        Assert.Equal(["reactivated", "deactivated", "updated", "updated", "created"], Actions(trail));
        Assert.All(trail.AsArray(), e =>
        {
            Assert.Equal("User", e.Str("entityType"));
            Assert.Equal(id, e!["entityId"]!.GetValue<long>());
            Assert.Equal(adminId, e["userId"]!.GetValue<long>());
        });
        var entries = trail.AsArray();
        Assert.Equal("officer", NewValue(entries[4]!, "Role"));
        Assert.Equal("audited1", NewValue(entries[4]!, "UserName"));
        Assert.Equal("supervisor", NewValue(entries[3]!, "Role"));
        Assert.Null(NewValue(entries[3]!, "Password"));
        Assert.NotNull(NewValue(entries[2]!, "Password"));
        Assert.Equal("False", NewValue(entries[1]!, "IsActive"));
        Assert.Equal(successor.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), NewValue(entries[1]!, "HandOverTo"));
        Assert.Equal("True", NewValue(entries[0]!, "IsActive"));
        Assert.Equal("supervisor", same.Str("role"));

        // Nothing secret anywhere in the stored trail: neither password, nor the hash, nor the security stamp.
        var (hash, stamp) = await factory.WithDbAsync(db => db.Users.Where(u => u.Id == id).Select(u => new { u.PasswordHash, u.SecurityStamp }).SingleAsync()
            .ContinueWith(t => (t.Result.PasswordHash, t.Result.SecurityStamp), TaskScheduler.Default));
        var stored = await factory.WithDbAsync(db => db.AuditEntries.Where(a => a.EntityType == "User" && a.EntityId == id).ToListAsync());
        var text = string.Join("|", stored.SelectMany(a => a.Changes).Select(c => $"{c.Field}={c.Old}>{c.New}"));
        foreach (var secret in new[] { firstPassword, resetPassword, hash, stamp })
        {
            Assert.DoesNotContain(secret, text, StringComparison.Ordinal);
            Assert.DoesNotContain(secret, trail.ToJsonString(), StringComparison.Ordinal);
        }

        Assert.DoesNotContain(stored.SelectMany(a => a.Changes), c => c.Field is "PasswordHash" or "SecurityStamp" or "FailedLogins" or "LockedUntil");
    }

    [Fact]
    public async Task A_refused_user_change_leaves_no_audit_entry_and_the_trail_is_for_admins_only()
    {
        using var admin = await factory.AdminAsync();
        var (user, client) = await factory.UserAndClientAsync(Roles.Supervisor);
        using (client)
        {
            var current = await admin.GetJsonAsync($"/api/users/{user.Id}");
            var before = await factory.RowCountsAsync();
            var bad = await admin.PutJsonAsync($"/api/users/{user.Id}", new { version = current.Version(), displayName = "x", role = "officer", password = "short" }, HttpStatusCode.BadRequest);
            Assert.NotEmpty(bad.ErrorsFor("password"));
            await admin.PostJsonAsync($"/api/users/{user.Id}/reactivate", new { }, HttpStatusCode.Conflict);
            await admin.PostJsonAsync("/api/users", new { userName = user.UserName, displayName = "重名", role = "officer", password = "Strong-pass-2026" }, HttpStatusCode.BadRequest);
            Assert.Equal(before, await factory.RowCountsAsync());
            Assert.Equal(["created"], Actions(await admin.GetJsonAsync($"/api/users/{user.Id}/audit")));

            using var forbidden = await client.GetAsync($"/api/users/{user.Id}/audit");
            Assert.Equal(HttpStatusCode.Forbidden, forbidden.StatusCode);
            using var missing = await admin.GetAsync("/api/users/999999/audit");
            await missing.ExpectAsync(HttpStatusCode.NotFound);
        }
    }

    [Fact]
    public async Task The_console_password_reset_is_audited_without_an_actor_or_the_new_password()
    {
        using var admin = await factory.AdminAsync();
        var user = await factory.CreateUserAsync(Roles.Officer);
        Assert.Equal(0, await Xuhui.Crm.Web.Features.Users.PasswordReset.ResetPasswordAsync(factory.Services, user.UserName));
        var entry = (await admin.GetJsonAsync($"/api/users/{user.Id}/audit"))[0]!;
        Assert.Equal("updated", entry.Str("action"));
        Assert.Null(entry["userId"]);
        Assert.Equal(Xuhui.Crm.Web.Features.Users.UserAudit.PasswordSet, NewValue(entry, "Password"));
        var hash = await factory.WithDbAsync(db => db.Users.Where(u => u.Id == user.Id).Select(u => u.PasswordHash).SingleAsync());
        Assert.DoesNotContain(hash, entry.ToJsonString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_reactivated_user_signs_in_again_but_their_old_tokens_stay_revoked()
    {
        using var admin = await factory.AdminAsync();
        var (user, client) = await factory.UserAndClientAsync(Roles.Officer);
        var successor = await factory.CreateUserAsync(Roles.Officer);
        using (client)
        {
            await admin.PostJsonAsync($"/api/users/{user.Id}/deactivate", new { handOverTo = successor.Id }, HttpStatusCode.OK);
            await admin.PostJsonAsync($"/api/users/{user.Id}/reactivate", new { }, HttpStatusCode.OK);
            using var old = await client.GetAsync("/api/firms");
            Assert.Equal(HttpStatusCode.Unauthorized, old.StatusCode);
            using var fresh = await factory.ClientForAsync(user);
            await fresh.GetJsonAsync("/api/firms");
        }
    }
}
