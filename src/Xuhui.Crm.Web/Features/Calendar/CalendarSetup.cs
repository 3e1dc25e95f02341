using Xuhui.Crm.Web.Data;
using Xuhui.Crm.Web.Shared;

namespace Xuhui.Crm.Web.Features.Calendar;

public static class CalendarSetup
{
    /// <summary>The working-day calendar, seeded at start; register before the scheduler, whose jobs read it.</summary>
    public static IServiceCollection AddCalendar(this IServiceCollection services)
    {
        services.AddScoped<WorkingDayCalendar>();
        services.AddHostedService<CalendarStartup>();
        return services;
    }
}

/// <summary>Seeds the working-day calendar from seed/reference for years not in the database yet.</summary>
public sealed class CalendarStartup(IServiceScopeFactory scopes, DataPaths paths, ILogger<CalendarStartup> logger) : IHostedService
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
