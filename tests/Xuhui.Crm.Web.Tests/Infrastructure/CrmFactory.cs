using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Time.Testing;
using Xuhui.Crm.Domain.Time;
using Xuhui.Crm.Web.Data;
using Xuhui.Crm.Web.Features.Search;

namespace Xuhui.Crm.Web.Tests.Infrastructure;

public sealed record TestUser(long Id, string UserName, string Password, string Role);

/// <summary>
/// The real host on a private copy of the migrated template database, with a fake clock and a random admin
/// password. Use one per test class (IClassFixture); classes never share rows. <see cref="On"/> makes a host for one
/// test on a data directory that outlives it (restarts, child processes), with that test's clock and settings.
/// </summary>
public class CrmFactory : WebApplicationFactory<Program>
{
    /// <summary>10:00 in Shanghai on a Monday; tests move the clock with <see cref="Clock"/>.</summary>
    public static readonly DateTimeOffset Start = new(2026, 6, 15, 2, 0, 0, TimeSpan.Zero);

    /// <summary>The admin password of hosts on a shared data directory: every host and child process on it signs in alike.</summary>
    public const string SharedAdminPassword = "Admin-pass-123";

    private readonly IReadOnlyDictionary<string, string?> _extraSettings = new Dictionary<string, string?>();
    private readonly bool _ownsData = true;
    private int _userCounter;

    public CrmFactory()
    {
        if (TestProvider.IsPostgres)
        {
            DataDirectory = TemplateDatabase.NewDirectory(GetType().Name);
            PostgresDatabase = TestProvider.CreateDatabase(GetType().Name);
        }
        else
        {
            DataDirectory = TemplateDatabase.CopyToNewDataDirectory(GetType().Name);
        }
    }

    private CrmFactory(string dataDirectory, FakeTimeProvider clock, IDictionary<string, string?>? settings)
    {
        DataDirectory = dataDirectory;
        Clock = clock;
        AdminPassword = SharedAdminPassword;
        _extraSettings = new Dictionary<string, string?>(settings ?? new Dictionary<string, string?>());
        _ownsData = false;

        // A restart on the same data directory finds the same database, as it finds the same crm.db on SQLite.
        PostgresDatabase = TestProvider.IsPostgres ? TestProvider.DatabaseFor(dataDirectory) : null;
    }

    /// <summary>This class's database when the tests run on PostgreSQL (XUHUI_TEST_PROVIDER=Postgres).</summary>
    public string? PostgresDatabase { get; }

    public FakeTimeProvider Clock { get; } = new(Start);

    public string DataDirectory { get; }

    public string DatabaseFile => Path.Combine(DataDirectory, "crm.db");

    public string AdminPassword { get; } = "Adm-" + Convert.ToHexString(RandomNumberGenerator.GetBytes(12));

    /// <summary>
    /// A host for one test on <paramref name="dataDirectory"/> (from <see cref="NewDataDirectory"/>), which stays when
    /// the host stops so the next host on it finds the same data; <paramref name="settings"/> override the defaults
    /// (an SMTP server, the scheduler on).
    /// </summary>
    public static CrmFactory On(string dataDirectory, FakeTimeProvider clock, IDictionary<string, string?>? settings = null) =>
        new(dataDirectory, clock, settings);

    /// <summary>A data directory holding a copy of the template database (on PostgreSQL its database is made on first use).</summary>
    public static string NewDataDirectory() =>
        TestProvider.IsPostgres ? TemplateDatabase.NewDirectory("host") : TemplateDatabase.CopyToNewDataDirectory("host");

    /// <summary>A fake clock at a Shanghai wall-clock time.</summary>
    public static FakeTimeProvider ClockAt(int year, int month, int day, int hour, int minute = 0) =>
        new(new DateTimeOffset(ShanghaiTime.ToUtc(new DateOnly(year, month, day), new TimeOnly(hour, minute)), TimeSpan.Zero));

    /// <summary>Settings on top of the test defaults; override to change them for a class.</summary>
    protected virtual IEnumerable<KeyValuePair<string, string?>> Settings() => _extraSettings;

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        // Not Development: no developer exception page, no user secrets; errors must come out as the API shapes them.
        builder.UseEnvironment("Testing");
        var settings = new Dictionary<string, string?>
        {
            ["Crm:DataDirectory"] = DataDirectory,
            ["Crm:Seed:Demo"] = "false",
            ["Crm:Bootstrap:AdminPassword"] = AdminPassword,
            // Tests log in far more often than people; the login rate limit has its own test.
            ["Crm:Auth:LoginRequestsPerMinute"] = "100000",
            // The scheduler and the outbox worker have their own tests and hosts.
            ["Crm:Jobs:Enabled"] = "false",
            ["Crm:Smtp:BackgroundDispatch"] = "false",
            ["Logging:LogLevel:Default"] = "Warning",
            ["Logging:LogLevel:Microsoft.AspNetCore"] = "Error",
        };
        if (PostgresDatabase is not null)
        {
            foreach (var (key, value) in TestProvider.PostgresSettings(PostgresDatabase))
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

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        SqliteConnection.ClearAllPools();
        if (!_ownsData)
        {
            // The next host on this directory needs it; the run directory goes when the test process exits.
            GC.SuppressFinalize(this);
            return;
        }

        if (PostgresDatabase is not null)
        {
            TestProvider.Drop(PostgresDatabase);
        }

        TemplateDatabase.TryDelete(DataDirectory);
        GC.SuppressFinalize(this);
    }

    /// <summary>A client without credentials.</summary>
    public HttpClient Anonymous() => CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });

    /// <summary>POST /api/auth/login and a client that sends the bearer token.</summary>
    public async Task<HttpClient> LoginAsync(string userName, string password)
    {
        var client = Anonymous();
        using var response = await client.PostAsJsonAsync("/api/auth/login", new { userName, password });
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"login as {userName} failed: {(int)response.StatusCode} {body}");
        var token = JsonNode.Parse(body)!["accessToken"]!.GetValue<string>();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    public Task<HttpClient> AdminAsync() => LoginAsync("admin", AdminPassword);

    public Task<HttpClient> ClientForAsync(TestUser user) => LoginAsync(user.UserName, user.Password);

    /// <summary>Creates an active user of <paramref name="role"/> through POST /api/users as admin.</summary>
    public async Task<TestUser> CreateUserAsync(string role, string? userName = null)
    {
        var n = Interlocked.Increment(ref _userCounter);
        userName ??= $"{role}{n}";
        var password = "Pw-" + Convert.ToHexString(RandomNumberGenerator.GetBytes(9));
        using var admin = await AdminAsync();
        var created = await admin.PostJsonAsync(
            "/api/users",
            new { userName, displayName = $"测试{role}{n}", email = $"{userName}@example.test", role, password },
            System.Net.HttpStatusCode.Created);
        return new TestUser(created.Id(), userName, password, role);
    }

    /// <summary>A user of <paramref name="role"/> and a client logged in as them.</summary>
    public async Task<(TestUser User, HttpClient Client)> UserAndClientAsync(string role)
    {
        var user = await CreateUserAsync(role);
        return (user, await ClientForAsync(user));
    }

    /// <summary>Runs <paramref name="work"/> with the host's own DbContext in a fresh scope.</summary>
    public async Task<T> WithDbAsync<T>(Func<CrmDbContext, IServiceProvider, Task<T>> work)
    {
        await using var scope = Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CrmDbContext>();
        return await work(db, scope.ServiceProvider);
    }

    public Task<T> WithDbAsync<T>(Func<CrmDbContext, Task<T>> work) => WithDbAsync((db, _) => work(db));

    public Task WithDbAsync(Func<CrmDbContext, Task> work) => WithDbAsync(async (db, _) =>
    {
        await work(db);
        return true;
    });

    /// <summary>
    /// Row counts of every table, to show a refused request wrote nothing. Taken once the search grams of the last
    /// import are written: an import answers before its grams (they follow in the background), so counts taken
    /// mid-drain would differ for no reason of the test's.
    /// </summary>
    public async Task<Dictionary<string, long>> RowCountsAsync()
    {
        using (var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2)))
        {
            await Services.GetRequiredService<SearchGramDrainer>().WhenCaughtUpAsync(timeout.Token);
        }

        return await CountRowsAsync();
    }

    private Task<Dictionary<string, long>> CountRowsAsync() => WithDbAsync(async db =>
    {
        var connection = db.Database.GetDbConnection();
        await db.Database.OpenConnectionAsync();
        var tables = new List<string>();
        await using (var list = connection.CreateCommand())
        {
            list.CommandText = PostgresDatabase is null
                ? "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name"
                : "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE' AND table_name NOT LIKE 'qrtz%' ORDER BY 1";
            await using var reader = await list.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                tables.Add(reader.GetString(0));
            }
        }

        var counts = new Dictionary<string, long>();
        foreach (var table in tables)
        {
            await using var count = connection.CreateCommand();
            count.CommandText = $"SELECT COUNT(*) FROM \"{table}\"";
            counts[table] = Convert.ToInt64(await count.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
        }

        return counts;
    });
}
