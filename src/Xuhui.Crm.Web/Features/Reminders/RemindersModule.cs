using Microsoft.Extensions.Options;
using Xuhui.Crm.Web.Features.Jobs;

namespace Xuhui.Crm.Web.Features.Reminders;

/// <summary>Reminders and the daily digest job; the calendar, the outbox and the scheduler are registered by CrmHost.</summary>
public static class RemindersModule
{
    public static IServiceCollection AddReminders(this IServiceCollection services, IConfiguration configuration)
    {
        services.Configure<RemindersOptions>(configuration.GetSection(RemindersOptions.Section));
        services.AddScoped<ReminderEngine>();
        services.AddScoped<DigestComposer>();
        services.AddCrmJob<DailyDigestJob>(JobNames.DailyDigest, "每日提醒摘要", JobSchedule.Daily(sp =>
        {
            var o = sp.GetRequiredService<IOptions<RemindersOptions>>().Value;
            return (DigestCron(o), $"每天 {o.DigestTime}（Asia/Shanghai），是否发送由工作日历决定");
        }));
        return services;
    }

    public static string DigestCron(RemindersOptions o) => JobSchedule.DailyCron(o.DigestTimeOfDay);
}
