using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Quartz;
using Xuhui.Crm.Web.Data;
using Xuhui.Crm.Web.Features.Search;
using Xuhui.Crm.Web.Features.Jobs;
using Xuhui.Crm.Web.Features.Operations;
using Xuhui.Crm.Web.Features.Reminders;
using Xuhui.Crm.Web.Features.Auth;
using Xuhui.Crm.Web.Shared.Localisation;
using Xuhui.Crm.Web.Shared.Pages;

namespace Xuhui.Crm.Web.Features.Jobs.Pages;

/// <summary>Scheduled jobs: next and last fire, last result, run now; through the /api/admin/jobs handlers.</summary>
public sealed class JobsModel(ISchedulerFactory factory, CrmDbContext db, UiText t) : PageModel
{
    public List<JobDto> Jobs { get; private set; } = [];

    public bool SchedulerRunning { get; private set; }

    public async Task OnGetAsync(CancellationToken ct)
    {
        Jobs = (await JobsApi.List(factory, db, ct)).Value ?? [];
        SchedulerRunning = (await factory.GetScheduler(ct)).Status == SchedulerStatus.Running;
    }

    public async Task<IActionResult> OnPostRunAsync(string name, CancellationToken ct)
    {
        var outcome = ApiOutcome.From<JobRunAccepted>(await JobsApi.Run(name, factory, ct));
        TempData[outcome.Ok ? "Flash" : "Error"] = outcome.Ok ? t.Format("已触发 {0}，结果稍后显示在列表中", name) : outcome.Message;
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
