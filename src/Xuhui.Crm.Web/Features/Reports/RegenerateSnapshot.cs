using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using Xuhui.Crm.Web.Shared;
using Xuhui.Crm.Web.Shared.Localisation;

namespace Xuhui.Crm.Web.Features.Reports;

/// <summary>
/// An explicit re-run (POST /api/reports/monthly/{month}/snapshots, admin): computes a closed month again from today's
/// data and stores it as a new revision; the earlier revisions stay readable.
/// </summary>
public static class RegenerateSnapshot
{
    public sealed record Command(string Month, SnapshotRequest Input);

    public static async Task<Outcome<SnapshotInfo>> HandleAsync(Command command, ClaimsPrincipal user, ReportServices s, CancellationToken ct)
    {
        var month = ReportQueries.Month(command.Month, s.Snapshots);
        if (!month.IsOk)
        {
            return month.Failure;
        }

        var m = month.Value!;
        if (!s.Snapshots.IsClosed(m))
        {
            return Outcome.Invalid("month", Text.T("只能为已结束的月份生成快照"));
        }

        var reason = command.Input.Reason;
        if (string.IsNullOrWhiteSpace(reason))
        {
            return Outcome.Invalid("reason", Text.T("重新生成快照须说明原因"));
        }

        try
        {
            var info = await s.Snapshots.TakeAsync(m, MonthlySnapshots.ManualTrigger, user.UserId(), reason.Trim(), ct);
            return Outcome.Created($"/api/reports/monthly/{info.Month}/snapshots/{info.Revision}", info);
        }
        catch (DbUpdateException)
        {
            // Two re-runs of one month raced for the same revision number; the other one won.
            return Outcome.Conflict(Text.F("{0} 的快照正在被同时生成，请稍后重试", command.Month));
        }
    }
}
