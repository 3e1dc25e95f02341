using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Quartz;
using Xuhui.Crm.Web.Data;
using Xuhui.Crm.Web.Shared.Localisation;

namespace Xuhui.Crm.Web.Features.Jobs.Pages;

/// <summary>Scheduled jobs: next and last fire, last result, run now; the same use cases as /api/admin/jobs.</summary>
public sealed class JobsModel(ISchedulerFactory factory, CrmJobs jobs, CrmDbContext db, UiText t) : PageModel
{
    public List<JobDto> Jobs { get; private set; } = [];

    public bool SchedulerRunning { get; private set; }

    public async Task OnGetAsync(CancellationToken ct)
    {
        Jobs = await ListJobs.HandleAsync(factory, jobs, db, ct);
        SchedulerRunning = (await factory.GetScheduler(ct)).Status == SchedulerStatus.Running;
    }

    public async Task<IActionResult> OnPostRunAsync(string name, CancellationToken ct)
    {
        var outcome = await RunJob.HandleAsync(name, factory, jobs, ct);
        TempData[outcome.IsOk ? "Flash" : "Error"] = outcome.IsOk ? t.Format("已触发 {0}，结果稍后显示在列表中", name) : outcome.Message;
        return RedirectToPage();
    }

    public static string OutcomeName(JobOutcome outcome) => outcome switch
    {
        JobOutcome.Running => "运行中",
        JobOutcome.Succeeded => "成功",
        JobOutcome.Skipped => "跳过",
        JobOutcome.Failed => "失败",
        _ => outcome.ToString(),
    };
}
