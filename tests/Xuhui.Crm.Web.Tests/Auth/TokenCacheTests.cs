using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Xuhui.Crm.Domain.Users;
using Xuhui.Crm.Web.Data;
using Xuhui.Crm.Web.Features.Search;
using Xuhui.Crm.Web.Tests.Infrastructure;

namespace Xuhui.Crm.Web.Tests.Auth;

/// <summary>
/// The bearer-token lookup is cached for Crm:Auth:TokenCacheSeconds (default 5). Changes made through this instance end
/// a token at once (AuthTests: deactivation, role change, logout); a change this instance did not make — another instance
/// of a city deployment, a command-line tool — is simulated here with a bulk UPDATE, which bypasses the context's save.
/// </summary>
public sealed class TokenCacheTests(CrmFactory factory) : IClassFixture<CrmFactory>
{
    [Fact]
    public async Task A_user_deactivated_elsewhere_loses_access_once_the_cache_lifetime_has_passed()
    {
        var (user, client) = await factory.UserAndClientAsync(Roles.Officer);
        using (client)
        {
            await client.GetJsonAsync("/api/firms");
            await factory.WithDbAsync(db => db.Users.Where(u => u.Id == user.Id).ExecuteUpdateAsync(s => s.SetProperty(u => u.IsActive, false)));

            // Within the documented window the cached answer stands ...
            using (var within = await client.GetAsync("/api/firms"))
            {
                Assert.Equal(HttpStatusCode.OK, within.StatusCode);
            }

            // ... and not a moment after it (other tests of this class compare with the clock's current time only).
            factory.Clock.Advance(TimeSpan.FromSeconds(5));
            using var after = await client.GetAsync("/api/firms");
            Assert.Equal(HttpStatusCode.Unauthorized, after.StatusCode);
        }
    }

    [Fact]
    public async Task A_write_to_users_through_the_context_ends_cached_tokens_at_once()
    {
        var (user, client) = await factory.UserAndClientAsync(Roles.Officer);
        using (client)
        {
            await client.GetJsonAsync("/api/firms");
            await factory.WithDbAsync(async db =>
            {
                var row = await db.Users.SingleAsync(u => u.Id == user.Id);
                row.SecurityStamp = Guid.NewGuid().ToString("N");
                await db.SaveChangesAsync();
            });

            using var response = await client.GetAsync("/api/firms");
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        }
    }

    [Fact]
    public async Task A_pooled_context_starts_every_scope_without_the_previous_scopes_actor_district_or_pending_audit()
    {
        var first = await factory.WithDbAsync(db =>
        {
            db.ActorId = 42;
            db.District = "310101";
            db.HomeDistrict = "310101";
            db.RecordChange(1, "PoolProbe", 1, "officers", "a", "b");
            return Task.FromResult(db.ContextId.InstanceId);
        });

        var (second, actor, district, home) = await factory.WithDbAsync(db =>
            Task.FromResult((db.ContextId.InstanceId, db.ActorId, db.District, db.HomeDistrict)));
        Assert.Equal(first, second); // the same pooled instance, handed out again
        Assert.Null(actor);
        Assert.Null(district);
        Assert.Equal(Xuhui.Crm.Domain.Firms.Firm.DefaultDistrictCode, home);

        // The audit row recorded by the first scope but never saved must not be written by the next scope's save.
        await factory.WithDbAsync(db => db.SaveChangesAsync());
        Assert.Equal(0, await factory.WithDbAsync(db => db.AuditEntries.CountAsync(a => a.EntityType == "PoolProbe")));
    }
}

/// <summary>With the cache off (0 seconds) every request looks its token up.</summary>
public sealed class TokenCacheOffTests(TokenCacheOffTests.Factory factory) : IClassFixture<TokenCacheOffTests.Factory>
{
    public sealed class Factory : CrmFactory
    {
        protected override IEnumerable<KeyValuePair<string, string?>> Settings() => [new("Crm:Auth:TokenCacheSeconds", "0")];
    }

    [Fact]
    public async Task A_user_deactivated_elsewhere_loses_access_on_the_next_request()
    {
        var (user, client) = await factory.UserAndClientAsync(Roles.Officer);
        using (client)
        {
            await client.GetJsonAsync("/api/firms");
            await factory.WithDbAsync(db => db.Users.Where(u => u.Id == user.Id).ExecuteUpdateAsync(s => s.SetProperty(u => u.IsActive, false)));
            using var response = await client.GetAsync("/api/firms");
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        }
    }
}
