using Xuhui.Crm.Web.Features.Reports;

namespace Xuhui.Crm.Web.Features.Targets;

/// <summary>Registration of the targets, snapshots and monthly-report feature: one call each from CrmHost.</summary>
public static class TargetsSetup
{
    public static IServiceCollection AddTargets(this IServiceCollection services, IConfiguration configuration)
    {
        services.Configure<TargetsOptions>(configuration.GetSection(TargetsOptions.Section));
        services.Configure<ReportsOptions>(configuration.GetSection(ReportsOptions.Section));
        services.AddScoped<TargetsService>();
        services.AddScoped<MonthlyReportBuilder>();
        services.AddScoped<MonthlySnapshots>();
        services.AddScoped<MonthlyReportEmail>();
        services.AddSingleton<ReportChart>();
        services.AddScoped<IReportMailOutbox, OutboxReportMail>();
        return services;
    }

    public static RouteGroupBuilder MapTargets(this RouteGroupBuilder api) => api.MapTargetsApi().MapReportsApi();
}
