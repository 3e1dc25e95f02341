using System.Net;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Data.Sqlite;
using Xuhui.Crm.Web.Tests.Infrastructure;

namespace Xuhui.Crm.Web.Tests.Operations;

public sealed class HealthAndHardeningTests(CrmFactory factory) : IClassFixture<CrmFactory>
{
    [Fact]
    public async Task Liveness_and_readiness_are_anonymous_and_readiness_checks_the_database()
    {
        using var anonymous = factory.Anonymous();
        var live = await (await anonymous.GetAsync("/health/live")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("Healthy", live.Str("status"));
        using var ready = await anonymous.GetAsync("/health/ready");
        var body = await ready.JsonAsync();
        Assert.Equal("Healthy", body["entries"]!["database"].Str("status"));
    }

    // Holds an exclusive lock on the SQLite file.
    [Trait("Provider", "SqliteOnly")]
    [Fact]
    public async Task Readiness_turns_unhealthy_while_the_database_cannot_take_a_write()
    {
        using var anonymous = factory.Anonymous();
        await using (var blocker = new SqliteConnection($"Data Source={factory.DatabaseFile};Pooling=False"))
        {
            await blocker.OpenAsync();
            await using var begin = blocker.CreateCommand();
            begin.CommandText = "BEGIN EXCLUSIVE;";
            await begin.ExecuteNonQueryAsync();

            using var response = await anonymous.GetAsync("/health/ready");
            var body = await response.JsonAsync();
            Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
            Assert.Equal("Unhealthy", body["entries"]!["database"].Str("status"));

            await using var rollback = blocker.CreateCommand();
            rollback.CommandText = "ROLLBACK;";
            await rollback.ExecuteNonQueryAsync();
        }

        using var again = await anonymous.GetAsync("/health/ready");
        Assert.Equal("Healthy", (await again.JsonAsync())["entries"]!["database"].Str("status"));
    }

    [Fact]
    public async Task Responses_carry_security_headers()
    {
        using var anonymous = factory.Anonymous();
        using var response = await anonymous.GetAsync("/api/firms");
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Equal("DENY", response.Headers.GetValues("X-Frame-Options").Single());
        Assert.Contains("default-src 'self'", response.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);
    }

    // The child process is pointed at the SQLite data directory.
    [Trait("Provider", "SqliteOnly")]
    [Fact]
    public async Task The_reset_password_command_prints_a_new_password_that_logs_in_and_clears_the_lockout()
    {
        await factory.WithDbAsync(async db =>
        {
            var admin = db.Users.Single(u => u.UserName == "admin");
            admin.LockedUntil = factory.Clock.GetUtcNow().UtcDateTime.AddHours(1);
            await db.SaveChangesAsync();
        });

        var (code, output) = await WebHostProcess.RunAsync(new Dictionary<string, string> { ["Crm__DataDirectory"] = factory.DataDirectory }, "reset-password", "admin");

        Assert.True(code == 0, output);
        var password = output.Split("new password for admin: ")[1].Trim().Split('\n')[0].Trim();
        using var client = await factory.LoginAsync("admin", password);
        using var old = factory.Anonymous();
        using var refused = await old.PostAsJsonAsync("/api/auth/login", new { userName = "admin", password = factory.AdminPassword });
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
    }
}

public sealed class LoginRateLimitTests(LoginRateLimitTests.Factory factory) : IClassFixture<LoginRateLimitTests.Factory>
{
    public sealed class Factory : CrmFactory
    {
        protected override IEnumerable<KeyValuePair<string, string?>> Settings() => [new("Crm:Auth:LoginRequestsPerMinute", "3")];
    }

    [Fact]
    public async Task Logins_beyond_the_limit_per_minute_get_429_with_a_clear_message()
    {
        using var client = factory.Anonymous();
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 5; i++)
        {
            using var response = await client.PostAsJsonAsync("/api/auth/login", new { userName = "nobody", password = "wrong-password-1" });
            statuses.Add(response.StatusCode);
            if (response.StatusCode == HttpStatusCode.TooManyRequests)
            {
                Assert.Contains("登录尝试过于频繁", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
            }
        }

        Assert.Equal([HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized, HttpStatusCode.TooManyRequests, HttpStatusCode.TooManyRequests], statuses);
    }
}

public sealed class ProductionRefusalTests
{
    private sealed class ProductionFactory(params KeyValuePair<string, string?>[] settings) : CrmFactory
    {
        protected override IEnumerable<KeyValuePair<string, string?>> Settings() => settings;

        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.UseEnvironment("Production");
        }
    }

    [Fact]
    public async Task Production_refuses_to_start_with_demo_data_switched_on()
    {
        await using var factory = new ProductionFactory(new KeyValuePair<string, string?>("Crm:Seed:Demo", "true"));
        var error = Assert.ThrowsAny<Exception>(() => factory.CreateClient());
        Assert.Contains("Crm__Seed__Demo=false", Flatten(error), StringComparison.Ordinal);
    }

    // Empties the users table of the SQLite file before the host starts.
    [Trait("Provider", "SqliteOnly")]
    [Fact]
    public async Task Production_refuses_to_create_the_first_admin_without_a_configured_password()
    {
        await using var factory = new ProductionFactory(new KeyValuePair<string, string?>("Crm:Bootstrap:AdminPassword", ""));
        await using (var connection = new SqliteConnection($"Data Source={factory.DatabaseFile};Pooling=False"))
        {
            await connection.OpenAsync();
            await using var delete = connection.CreateCommand();
            delete.CommandText = "DELETE FROM AccessTokens; DELETE FROM Users;";
            await delete.ExecuteNonQueryAsync();
        }

        var error = Assert.ThrowsAny<Exception>(() => factory.CreateClient());
        Assert.Contains("Crm__Bootstrap__AdminPassword", Flatten(error), StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(factory.DataDirectory, "admin-password.txt")));
    }

    [Fact]
    public async Task Production_starts_with_demo_off_and_a_configured_password()
    {
        await using var factory = new ProductionFactory();
        using var client = await factory.AdminAsync();
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/firms")).StatusCode);
    }

    private static string Flatten(Exception e) => e.InnerException is null ? e.Message : e.Message + " | " + Flatten(e.InnerException);
}
