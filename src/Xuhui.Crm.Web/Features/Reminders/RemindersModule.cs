using Microsoft.Extensions.Options;
using Quartz;
using Xuhui.Crm.Web.Data;
using Xuhui.Crm.Web.Features.Search;
using Xuhui.Crm.Web.Features.Outbox;
using Xuhui.Crm.Web.Features.Calendar;
using Xuhui.Crm.Web.Shared;
using Xuhui.Crm.Web.Features.Jobs;
using Xuhui.Crm.Web.Features.Operations;

namespace Xuhui.Crm.Web.Features.Reminders;

/// <summary>Reminders, the working-day calendar, the outbox and the scheduled jobs, registered in one place.</summary>
public static class RemindersModule
{
    public static IServiceCollection AddReminders(this IServiceCollection services, IConfiguration configuration)
    {
        services.Configure<RemindersOptions>(configuration.GetSection(RemindersOptions.Section));
        services.Configure<SmtpOptions>(configuration.GetSection(SmtpOptions.Section));
        services.Configure<JobsOptions>(configuration.GetSection(JobsOptions.Section));

        services.AddScoped<WorkingDayCalendar>();
        services.AddScoped<ReminderEngine>();
        services.AddScoped<DigestComposer>();
        services.AddScoped<Jobs.DistrictRuns>();
        services.AddScoped<OutboxWriter>();
        services.AddSingleton<SmtpMailTransport>();
        services.AddSingleton<EmlFileTransport>();
        services.AddSingleton<IMailTransport>(sp => sp.GetRequiredService<IOptions<SmtpOptions>>().Value.UsesFiles
            ? sp.GetRequiredService<EmlFileTransport>()
            : sp.GetRequiredService<SmtpMailTransport>());
        services.AddSingleton<OutboxDispatcher>();
        services.AddSingleton<OutboxSignal>();

        // Order matters: the calendar is seeded before the scheduler starts, and jobs are scheduled after it started.
        services.AddHostedService<RemindersStartup>();
        services.AddSingleton<OrphanedRuns>();
        services.AddHostedService(sp => sp.GetRequiredService<OrphanedRuns>());
        services.AddCrmJobs(configuration);
        services.AddQuartzHostedService(o =>
        {
            o.WaitForJobsToComplete = true;
            o.AwaitApplicationStarted = false;
        });

        // Read when the host starts, not now: a test host's settings arrive after registration.
        services.AddOptions<QuartzHostedServiceOptions>().Configure<IOptions<JobsOptions>>((o, jobs) => o.AutoStart = jobs.Value.Enabled);
        services.AddHostedService<JobScheduleSetup>();

        // Stopped in reverse: the outbox worker first (no new message is taken), then running jobs are cancelled,
        // then the scheduler shuts down.
        services.AddHostedService<JobInterrupter>();

        services.AddHostedService<OutboxWorker>();
        return services;
    }

    public static RouteGroupBuilder MapReminders(this RouteGroupBuilder api)
    {
        api.MapRemindersApi();
        api.MapCalendarApi();
        api.MapJobsApi();
        api.MapOutboxApi();
        return api;
    }
}

/// <summary>Seeds the working-day calendar from seed/reference for years not in the database yet.</summary>
public sealed class RemindersStartup(IServiceScopeFactory scopes, DataPaths paths, ILogger<RemindersStartup> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CrmDbContext>();
        var added = await CalendarSeeder.SeedAsync(db, paths.SeedDirectory, cancellationToken);
        if (added > 0)
        {
            logger.LogInformation("Working-day calendar: {Count} days loaded from seed/reference", added);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
