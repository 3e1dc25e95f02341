using System.Net.Http.Headers;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Time.Testing;
using Xuhui.Crm.Domain.Firms;
using Xuhui.Crm.Domain.Time;
using Xuhui.Crm.Domain.Users;
using Xuhui.Crm.Domain.Visits;
using Xuhui.Crm.Web.Data;
using Xuhui.Crm.Web.Features.Search;
using Xuhui.Crm.Web.Features.Auth;
using Xuhui.Crm.Web.Tests.Infrastructure;
using Xuhui.Crm.Web.Features.Jobs;

namespace Xuhui.Crm.Web.Tests.Reminders;

/// <summary>
/// The real host on a data directory of its own, with a fake clock shared with Quartz (which takes the container's
/// TimeProvider). Kept inside this folder so it does not collide with the shared fixture being built elsewhere.
/// </summary>
public sealed class RemindersHost : WebApplicationFactory<Program>
{
    public const string AdminPassword = "Admin-pass-123";

    public RemindersHost(string dataDirectory, FakeTimeProvider clock, IDictionary<string, string?>? settings = null)
    {
        DataDirectory = dataDirectory;
        Clock = clock;
        Settings = new Dictionary<string, string?>
        {
            ["Crm:DataDirectory"] = dataDirectory,
            ["Crm:Seed:Demo"] = "false",
            ["Crm:Bootstrap:AdminPassword"] = AdminPassword,
            ["Crm:Jobs:Enabled"] = "false",
            ["Crm:Smtp:BackgroundDispatch"] = "false",
            ["Logging:LogLevel:Default"] = "Warning",
        };
        if (TestProvider.IsPostgres)
        {
            // A restart on the same data directory finds the same database, as it finds the same crm.db on SQLite.
            foreach (var (k, v) in TestProvider.PostgresSettings(TestProvider.DatabaseFor(dataDirectory)))
            {
                Settings[k] = v;
            }
        }

        foreach (var (k, v) in settings ?? new Dictionary<string, string?>())
        {
            Settings[k] = v;
        }
    }

    public string DataDirectory { get; }
    public FakeTimeProvider Clock { get; }
    public Dictionary<string, string?> Settings { get; }

    public static string NewDataDirectory()
    {
        var dir = Path.Combine(Path.GetTempPath(), "xuhui-reminders-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        return dir;
    }

    /// <summary>A fake clock at a Shanghai wall-clock time.</summary>
    public static FakeTimeProvider ClockAt(int year, int month, int day, int hour, int minute = 0) =>
        new(new DateTimeOffset(ShanghaiTime.ToUtc(new DateOnly(year, month, day), new TimeOnly(hour, minute)), TimeSpan.Zero));

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        foreach (var (k, v) in Settings)
        {
            builder.UseSetting(k, v);
        }

        builder.ConfigureServices(services =>
        {
            services.RemoveAll<TimeProvider>();
            services.AddSingleton<TimeProvider>(Clock);
        });
    }

    public async Task<T> WithDbAsync<T>(Func<CrmDbContext, Task<T>> work)
    {
        await using var scope = Services.CreateAsyncScope();
        return await work(scope.ServiceProvider.GetRequiredService<CrmDbContext>());
    }

    public Task WithDbAsync(Func<CrmDbContext, Task> work) => WithDbAsync(async db =>
    {
        await work(db);
        return true;
    });

    public async Task<T> WithScopeAsync<T>(Func<IServiceProvider, Task<T>> work)
    {
        await using var scope = Services.CreateAsyncScope();
        return await work(scope.ServiceProvider);
    }

    public async Task<HttpClient> LoginAsync(string userName, string password)
    {
        var client = CreateClient();
        var response = await client.PostAsJsonAsync("/api/auth/login", new LoginRequest(userName, password));
        response.EnsureSuccessStatusCode();
        var login = await response.Content.ReadFromJsonAsync<LoginResponse>();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", login!.AccessToken);
        return client;
    }

    public Task<HttpClient> AdminAsync() => LoginAsync("admin", AdminPassword);

    public async Task<User> AddUserAsync(string userName, string displayName, string role, string? email, long? supervisorId = null)
    {
        var hasher = Services.GetRequiredService<IPasswordHasher<User>>();
        return await WithDbAsync(async db =>
        {
            var user = new User { UserName = userName, DisplayName = displayName, Role = role, Email = email, SupervisorId = supervisorId };
            user.PasswordHash = hasher.HashPassword(user, "Passw0rd-" + userName);
            db.Users.Add(user);
            await db.SaveChangesAsync();
            return user;
        });
    }

    public Task<Firm> AddFirmAsync(string name, long leadOfficerId, DateOnly assignedOn, DateOnly? lastVisitOn = null, FirmTier tier = FirmTier.Regular) =>
        WithDbAsync(async db =>
        {
            var firm = new Firm { Name = name, LeadOfficerId = leadOfficerId, AssignedOn = assignedOn, LastVisitOn = lastVisitOn ?? assignedOn, Tier = tier, IsProspect = true };
            db.Firms.Add(firm);
            await db.SaveChangesAsync();
            return firm;
        });

    public Task<FollowUpTask> AddTaskAsync(long firmId, long assigneeId, string title, DateOnly dueOn) =>
        WithDbAsync(async db =>
        {
            var task = new FollowUpTask { FirmId = firmId, AssigneeId = assigneeId, Title = title, DueOn = dueOn, Status = FollowUpStatus.Open, CreatedById = assigneeId };
            db.Tasks.Add(task);
            await db.SaveChangesAsync();
            return task;
        });

    public Task<Visit> AddPlannedVisitAsync(long firmId, long officerId, DateOnly on, TimeOnly at, string location) =>
        WithDbAsync(async db =>
        {
            var visit = new Visit
            {
                FirmId = firmId,
                Status = VisitStatus.Planned,
                Kind = VisitKind.OnSite,
                On = on,
                StartsAt = ShanghaiTime.ToUtc(on, at),
                DurationMinutes = 90,
                Location = location,
                Summary = "了解高企申报准备情况",
                CreatedById = officerId,
                Officers = [new VisitOfficer { UserId = officerId }],
            };
            db.Visits.Add(visit);
            await db.SaveChangesAsync();
            return visit;
        });

    public Task<int> JobRunsAsync(string job) => WithDbAsync(db => db.JobRuns.CountAsync(r => r.JobName == job));

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
    }
}
