using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Time.Testing;
using Xuhui.Crm.Web.Data;
using Xuhui.Crm.Web.Features.Search;
using Xuhui.Crm.Web.Features.Auth;
using Xuhui.Crm.Web.Shared;

namespace Xuhui.Crm.Web.Tests.Targets;

/// <summary>
/// The real host on its own SQLite file (migrated at start), a fake clock and a fixed admin password. Kept inside the
/// Targets folder so it does not collide with the shared fixture being built on another branch.
/// </summary>
public class TargetsHost : WebApplicationFactory<Program>
{
    public const string AdminPassword = "Targets-Adm1n!";

    public FakeTimeProvider Clock { get; } = new(new DateTimeOffset(2026, 10, 1, 1, 0, 0, TimeSpan.Zero));

    public string DataDirectory { get; } = Path.Combine(Path.GetTempPath(), "xuhui-targets-tests", Guid.NewGuid().ToString("N"));

    public static JsonSerializerOptions JsonOptions { get; } = CreateJson();

    protected virtual IEnumerable<KeyValuePair<string, string?>> Settings() => [];

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        var settings = new Dictionary<string, string?>
        {
            ["Crm:DataDirectory"] = DataDirectory,
            ["Crm:Seed:Demo"] = "false",
            ["Crm:Bootstrap:AdminPassword"] = AdminPassword,
            ["Crm:Reports:Recipients:0"] = "leader@xuhui.local",
            ["Crm:Reports:Recipients:1"] = "deputy@xuhui.local",
            ["Crm:Jobs:Enabled"] = "false",
            ["Crm:Smtp:BackgroundDispatch"] = "false",
            ["Logging:LogLevel:Default"] = "Warning",
        };
        if (Infrastructure.TestProvider.IsPostgres)
        {
            foreach (var (key, value) in Infrastructure.TestProvider.PostgresSettings(Infrastructure.TestProvider.DatabaseFor(DataDirectory)))
            {
                settings[key] = value;
            }
        }

        foreach (var (key, value) in Settings())
        {
            settings[key] = value;
        }

        foreach (var (key, value) in settings)
        {
            builder.UseSetting(key, value);
        }

        builder.ConfigureAppConfiguration(c => c.AddInMemoryCollection(settings));
        builder.ConfigureTestServices(services =>
        {
            services.RemoveAll<TimeProvider>();
            services.AddSingleton<TimeProvider>(Clock);
        });
    }

    public void SetClock(DateTimeOffset utc) => Clock.SetUtcNow(utc);

    private LoginResponse? _login;

    /// <summary>A client signed in as admin; the token is reused while the fake clock says it is valid (logins are rate-limited).</summary>
    public async Task<HttpClient> AdminAsync()
    {
        var client = CreateClient();
        if (_login is null || _login.ExpiresAt <= Clock.GetUtcNow().UtcDateTime.AddMinutes(5) || _login.ExpiresAt > Clock.GetUtcNow().UtcDateTime.AddDays(2))
        {
            var login = await client.PostAsJsonAsync("/api/auth/login", new LoginRequest("admin", AdminPassword));
            login.EnsureSuccessStatusCode();
            _login = (await login.Content.ReadFromJsonAsync<LoginResponse>(JsonOptions))!;
        }

        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", _login.AccessToken);
        return client;
    }

    public async Task<T> WithDbAsync<T>(Func<CrmDbContext, IServiceProvider, Task<T>> work)
    {
        await using var scope = Services.CreateAsyncScope();
        return await work(scope.ServiceProvider.GetRequiredService<CrmDbContext>(), scope.ServiceProvider);
    }

    public Task WithDbAsync(Func<CrmDbContext, Task> work) => WithDbAsync<bool>(async (db, _) =>
    {
        await work(db);
        return true;
    });

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        GC.SuppressFinalize(this);
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(DataDirectory, recursive: true);
        }
        catch (IOException)
        {
            // A file still open on a slow runner: the temp folder is cleaned by the OS.
        }
    }

    private static JsonSerializerOptions CreateJson()
    {
        var o = new JsonSerializerOptions(JsonSerializerDefaults.Web);
        Json.Configure(o);
        return o;
    }
}
