using Quartz;
using Xuhui.Crm.Domain.Targets;

namespace Xuhui.Crm.Web.Features.Reports;

/// <summary>
/// When the two monthly jobs fire and what they do. The Quartz job classes (<see cref="MonthEndSnapshotJob"/>,
/// <see cref="MonthlyReportJob"/>, recorded in JobRuns) stay thin: each body is one call here.
/// </summary>
public static class ReportSchedule
{
    public const string MonthEndSnapshot = "month-end-snapshot";
    public const string MonthlyReport = "monthly-report";

    /// <summary>Five minutes past midnight on the 1st, Asia/Shanghai: the month just closed is frozen.</summary>
    public const string MonthEndSnapshotCron = "0 5 0 1 * ?";

    /// <summary>09:00 on the 1st, Asia/Shanghai: the report goes to the leadership list.</summary>
    public const string MonthlyReportCron = "0 0 9 1 * ?";

    /// <summary>The month a run fired on <paramref name="firedOn"/> (Shanghai date) reports: the one just closed.</summary>
    public static ReportMonth MonthToReport(DateOnly firedOn) => ReportMonth.FromDate(firedOn).Previous;

    /// <summary>Body of the month-end-snapshot job: freezes the month just closed unless it already is.</summary>
    /// <remarks>Several districts: once per district holding firms, then for the city.</remarks>
    public static async Task<string> RunMonthEndSnapshotAsync(MonthlySnapshots snapshots, DateOnly firedOn, CancellationToken ct, Jobs.DistrictRuns? districts = null)
    {
        var month = MonthToReport(firedOn);
        return await PerDistrictAsync(districts, async () =>
        {
            var taken = await snapshots.TakeIfMissingAsync(month, ct);
            return taken is null ? $"{month} 已有快照，未重复生成" : $"{month} 快照第 {taken.Revision} 版已生成";
        }, ct);
    }

    /// <summary>Body of the monthly-report job: composes and queues the email for the month just closed.</summary>
    /// <remarks>Several districts: each district's report to its list, then the city's.</remarks>
    public static async Task<string> RunMonthlyReportAsync(MonthlyReportEmail email, DateOnly firedOn, CancellationToken ct, Jobs.DistrictRuns? districts = null)
    {
        var month = MonthToReport(firedOn);
        return await PerDistrictAsync(districts, async () => $"{month} 月报已排队 {await email.QueueAsync(month, ct)} 封", ct);
    }

    private static async Task<string> PerDistrictAsync(Jobs.DistrictRuns? districts, Func<Task<string>> body, CancellationToken ct)
    {
        if (districts is not { MultiDistrict: true })
        {
            return await body();
        }

        var scopes = (await districts.FirmDistrictsAsync(ct)).Cast<string?>().Append(null);
        var results = await districts.ForEachAsync(scopes, _ => body());
        return string.Join("；", results.Select(r => $"{Jobs.DistrictRuns.Label(r.District)}：{r.Result}"));
    }

    /// <summary>The trigger of a monthly job (as the scheduler names it from its declaration).</summary>
    public static TriggerKey TriggerKey(JobKey job) => new($"{job.Name}-monthly", job.Group);
}
