using System.Net;
using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using Xuhui.Crm.Domain.Users;
using Xuhui.Crm.Web.Tests.Infrastructure;

namespace Xuhui.Crm.Web.Tests.Auth;

/// <summary>
/// Parallel logins for one user: the failed-login counter loses no count and fails no attempt, and the lockout
/// engages at the configured count (Crm:Auth:MaxFailedLogins, 5 by default), not one attempt later.
/// </summary>
public sealed class LoginConcurrencyTests(CrmFactory factory) : IClassFixture<CrmFactory>
{
    private const int MaxFailedLogins = 5;

    private async Task<HttpStatusCode[]> ParallelLoginsAsync(string userName, IEnumerable<string> passwords)
    {
        using var anonymous = factory.Anonymous();
        return await Task.WhenAll(passwords.Select(async password =>
        {
            using var response = await anonymous.PostAsJsonAsync("/api/auth/login", new { userName, password });
            var body = await response.Content.ReadAsStringAsync();
            Assert.True((int)response.StatusCode < 500, $"login answered {(int)response.StatusCode}: {body}");
            return response.StatusCode;
        }));
    }

    private Task<HttpStatusCode> LoginAsync(TestUser user, string password) =>
        ParallelLoginsAsync(user.UserName, [password]).ContinueWith(t => t.Result[0], TaskScheduler.Default);

    [Fact]
    public async Task Twelve_parallel_wrong_passwords_answer_no_500_and_leave_the_account_locked()
    {
        for (var round = 0; round < 2; round++)
        {
            var user = await factory.CreateUserAsync(Roles.Officer);
            var statuses = await ParallelLoginsAsync(user.UserName, Enumerable.Range(0, 12).Select(i => $"wrong-{i}"));

            Assert.All(statuses, s => Assert.True(s is HttpStatusCode.Unauthorized or (HttpStatusCode)423, $"unexpected {(int)s}"));
            var lockedUntil = await factory.WithDbAsync(db => db.Users.Where(u => u.Id == user.Id).Select(u => u.LockedUntil).SingleAsync());
            Assert.True(lockedUntil > factory.Clock.GetUtcNow().UtcDateTime, $"round {round}: not locked after 12 failures");
            var lockedAnswer = await LoginAsync(user, user.Password);
            Assert.NotEqual(HttpStatusCode.OK, lockedAnswer);

            // Only the attempts before the lock were checked as wrong passwords; the rest got the locked answer. When
            // the locked answer differs from a wrong password's, exactly the configured number were let through.
            if (lockedAnswer != HttpStatusCode.Unauthorized)
            {
                Assert.Equal(MaxFailedLogins, statuses.Count(s => s == HttpStatusCode.Unauthorized));
            }
        }
    }

    [Fact]
    public async Task One_fewer_parallel_failures_than_the_limit_are_all_counted_and_do_not_lock()
    {
        var user = await factory.CreateUserAsync(Roles.Officer);
        var statuses = await ParallelLoginsAsync(user.UserName, Enumerable.Range(0, MaxFailedLogins - 1).Select(i => $"wrong-{i}"));

        Assert.All(statuses, s => Assert.Equal(HttpStatusCode.Unauthorized, s));
        var row = await factory.WithDbAsync(db => db.Users.AsNoTracking().SingleAsync(u => u.Id == user.Id));
        Assert.Equal(MaxFailedLogins - 1, row.FailedLogins);
        Assert.Null(row.LockedUntil);
        // The counter is the system's: it does not make an administrator's open edit of the user stale.
        Assert.Equal(1, row.Version);

        // The next failure is the one that locks.
        Assert.Equal(HttpStatusCode.Unauthorized, await LoginAsync(user, "wrong-last"));
        Assert.NotEqual(HttpStatusCode.OK, await LoginAsync(user, user.Password));
    }

    [Fact]
    public async Task Exactly_the_limit_of_parallel_failures_locks_and_a_correct_password_resets_the_count()
    {
        var user = await factory.CreateUserAsync(Roles.Officer);
        var statuses = await ParallelLoginsAsync(user.UserName, Enumerable.Range(0, MaxFailedLogins).Select(i => $"wrong-{i}"));
        Assert.All(statuses, s => Assert.Equal(HttpStatusCode.Unauthorized, s));
        Assert.NotEqual(HttpStatusCode.OK, await LoginAsync(user, user.Password));

        var other = await factory.CreateUserAsync(Roles.Officer);
        var mixed = await ParallelLoginsAsync(other.UserName, [.. Enumerable.Range(0, 3).Select(i => $"wrong-{i}"), other.Password, other.Password]);
        Assert.Equal(2, mixed.Count(s => s == HttpStatusCode.OK));
        Assert.Equal(3, mixed.Count(s => s == HttpStatusCode.Unauthorized));
        var failed = await factory.WithDbAsync(db => db.Users.Where(u => u.Id == other.Id).Select(u => u.FailedLogins).SingleAsync());
        Assert.InRange(failed, 0, 3);
        Assert.Equal(HttpStatusCode.OK, await LoginAsync(other, other.Password));
        Assert.Equal(0, await factory.WithDbAsync(db => db.Users.Where(u => u.Id == other.Id).Select(u => u.FailedLogins).SingleAsync()));
    }
}
