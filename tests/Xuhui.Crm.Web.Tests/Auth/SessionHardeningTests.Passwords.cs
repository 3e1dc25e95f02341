using System.Net;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Xuhui.Crm.Domain.Users;
using Xuhui.Crm.Web.Tests.Infrastructure;

namespace Xuhui.Crm.Web.Tests.Auth;

/// <summary>Lockout and password hashing.</summary>
public sealed partial class SessionHardeningTests
{
    private static string WithoutTraceId(string problem) => Regex.Replace(problem, "\"traceId\":\"[^\"]*\"", "\"traceId\":\"\"");

    [Fact]
    public async Task A_locked_account_answers_exactly_as_a_wrong_password_and_an_unknown_user_while_the_lockout_holds()
    {
        var user = await factory.CreateUserAsync(Roles.Officer);
        using var anonymous = factory.Anonymous();

        async Task<(HttpStatusCode, string)> LoginAsync(string userName, string password)
        {
            using var response = await anonymous.PostAsJsonAsync("/api/auth/login", new { userName, password });
            return (response.StatusCode, WithoutTraceId(await response.Content.ReadAsStringAsync()));
        }

        var wrong = await LoginAsync(user.UserName, "wrong-before");
        for (var i = 0; i < 4; i++)
        {
            await LoginAsync(user.UserName, "wrong" + i);
        }

        var lockedUntil = await factory.WithDbAsync(db => db.Users.Where(u => u.Id == user.Id).Select(u => u.LockedUntil).SingleAsync());
        Assert.NotNull(lockedUntil);

        var locked = await LoginAsync(user.UserName, user.Password);
        var lockedWrong = await LoginAsync(user.UserName, "wrong-while-locked");
        var unknown = await LoginAsync("nobody-" + user.UserName, user.Password);
        Assert.Equal(HttpStatusCode.Unauthorized, wrong.Item1);
        Assert.Equal(wrong, locked);
        Assert.Equal(wrong, lockedWrong);
        Assert.Equal(wrong, unknown);
        Assert.DoesNotContain("锁定", locked.Item2, StringComparison.Ordinal);

        // The web page gives one message for all three too (it may say that repeated failures lock, never whether this did).
        using var browser = new WebBrowser(factory);
        var pages = new List<string>();
        foreach (var (name, password) in new[] { (user.UserName, user.Password), (user.UserName, "wrong-web"), ("nobody-web", "whatever") })
        {
            using var response = await browser.SignInAsync(name, password);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var html = await response.Content.ReadAsStringAsync();
            pages.Add(Regex.Match(html, "role=\"alert\".*?<li>(.*?)</li>", RegexOptions.Singleline).Groups[1].Value.Trim());
        }

        Assert.NotEqual(string.Empty, pages[0]);
        Assert.All(pages, p => Assert.Equal(pages[0], p));
        Assert.Null(browser.AuthCookie);

        // The lockout still held all along: the lock did not move and the right password works once it ends.
        Assert.Equal(lockedUntil, await factory.WithDbAsync(db => db.Users.Where(u => u.Id == user.Id).Select(u => u.LockedUntil).SingleAsync()));
        factory.Clock.Advance(lockedUntil!.Value - factory.Clock.GetUtcNow().UtcDateTime + TimeSpan.FromSeconds(1));
        Assert.Equal(HttpStatusCode.OK, (await LoginAsync(user.UserName, user.Password)).Item1);
    }

    private static int Iterations(string hash)
    {
        var bytes = Convert.FromBase64String(hash);
        Assert.Equal(0x01, bytes[0]);
        return (bytes[5] << 24) | (bytes[6] << 16) | (bytes[7] << 8) | bytes[8];
    }

    [Fact]
    public async Task Passwords_are_hashed_with_210000_iterations_and_an_older_hash_is_upgraded_at_the_next_successful_login()
    {
        var user = await factory.CreateUserAsync(Roles.Officer);
        Assert.Equal(210_000, Iterations(await factory.WithDbAsync(db => db.Users.Where(u => u.Id == user.Id).Select(u => u.PasswordHash).SingleAsync())));

        var legacy = new PasswordHasher<User>(Options.Create(new PasswordHasherOptions { IterationCount = 100_000 }));
        await factory.WithDbAsync(async db =>
        {
            var row = await db.Users.SingleAsync(u => u.Id == user.Id);
            row.PasswordHash = legacy.HashPassword(row, user.Password);
            await db.SaveChangesAsync();
            Assert.Equal(100_000, Iterations(row.PasswordHash));
        });

        // A failed attempt leaves the old hash as it is; a successful one verifies it and stores a new one.
        using var anonymous = factory.Anonymous();
        using (var failed = await anonymous.PostAsJsonAsync("/api/auth/login", new { userName = user.UserName, password = "wrong" }))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, failed.StatusCode);
        }

        Assert.Equal(100_000, Iterations(await factory.WithDbAsync(db => db.Users.Where(u => u.Id == user.Id).Select(u => u.PasswordHash).SingleAsync())));
        using (var client = await factory.ClientForAsync(user))
        {
            await client.GetJsonAsync("/api/auth/me");
        }

        Assert.Equal(210_000, Iterations(await factory.WithDbAsync(db => db.Users.Where(u => u.Id == user.Id).Select(u => u.PasswordHash).SingleAsync())));

        // The web sign-in upgrades too, and the upgraded hash keeps working for both.
        await factory.WithDbAsync(async db =>
        {
            var row = await db.Users.SingleAsync(u => u.Id == user.Id);
            row.PasswordHash = legacy.HashPassword(row, user.Password);
            await db.SaveChangesAsync();
        });
        using var browser = new WebBrowser(factory);
        await browser.SignInOkAsync(user.UserName, user.Password);
        Assert.Equal(210_000, Iterations(await factory.WithDbAsync(db => db.Users.Where(u => u.Id == user.Id).Select(u => u.PasswordHash).SingleAsync())));
        using var again = await factory.ClientForAsync(user);
        await again.GetJsonAsync("/api/auth/me");
    }
}
