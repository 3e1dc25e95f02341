using Xuhui.Crm.Web.Features.Jobs;

namespace Xuhui.Crm.Web.Features.Reports;

/// <summary>The monthly report and snapshots, and the two monthly jobs that send and freeze them.</summary>
public static class ReportsSetup
{
    public static IServiceCollection AddReports(this IServiceCollection services, IConfiguration configuration)
    {
        services.Configure<Targets.ReportsOptions>(configuration.GetSection(Targets.ReportsOptions.Section));
        services.AddScoped<MonthlyReportBuilder>();
        services.AddScoped<MonthlySnapshots>();
        services.AddScoped<MonthlyReportEmail>();
        services.AddSingleton<ReportChart>();
        services.AddScoped<IReportMailOutbox, OutboxReportMail>();
        services.AddCrmJob<MonthlyReportJob>(JobNames.MonthlyReport, "月度报告",
            JobSchedule.Fixed("monthly", ReportSchedule.MonthlyReportCron, "每月1日 09:00（Asia/Shanghai）发送上月月报"));
        services.AddCrmJob<MonthEndSnapshotJob>(JobNames.MonthEndSnapshot, "月末快照",
            JobSchedule.Fixed("monthly", ReportSchedule.MonthEndSnapshotCron, "每月1日 00:05（Asia/Shanghai）冻结上月数据"));
        return services;
    }
}
