using Microsoft.EntityFrameworkCore;
using Xuhui.Crm.Web.Data;
using Xuhui.Crm.Web.Features.Jobs;
using Xuhui.Crm.Web.Shared.Localisation;

namespace Xuhui.Crm.Web.Features.Imports;

/// <summary>An import cut off by a dead process wrote nothing (it commits once, at the end): its run says so.</summary>
public sealed class ImportRunCloser : IOrphanedRunCloser
{
    public static string Message => Text.T("导入进程中断（崩溃或被强制结束），未写入任何数据，请重新导入");

    public Task<int> CloseAsync(CrmDbContext db, DateTime now, CancellationToken ct) =>
        db.ImportRuns.Where(r => r.Status == ImportStatus.Running).ExecuteUpdateAsync(
            s => s.SetProperty(r => r.Status, ImportStatus.Interrupted).SetProperty(r => r.CompletedAt, now).SetProperty(r => r.Message, Message), ct);
}
