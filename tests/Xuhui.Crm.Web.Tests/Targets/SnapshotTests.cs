using System.Net;
using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Xuhui.Crm.Domain.Cases;
using Xuhui.Crm.Domain.Visits;
using Xuhui.Crm.Web.Features.Reports;
using Xuhui.Crm.Web.Tests.Infrastructure;

namespace Xuhui.Crm.Web.Tests.Targets;

public sealed class SnapshotTests(OctoberHost host) : IClassFixture<OctoberHost>
{
    [Fact]
    public async Task Editing_a_past_month_leaves_its_snapshot_unchanged_and_a_rerun_records_both_revisions()
    {
        var admin = await host.AdminAsync();

        // The month-end job body, as the scheduler would run it on 1 Nov.
        var first = await host.WithDbAsync((_, sp) => ReportSchedule.RunMonthEndSnapshotAsync(
            sp.GetRequiredService<MonthlySnapshots>(), new DateOnly(2026, 11, 1), CancellationToken.None));
        Assert.Contains("第 1 版", first, StringComparison.Ordinal);
        var again = await host.WithDbAsync((_, sp) => ReportSchedule.RunMonthEndSnapshotAsync(
            sp.GetRequiredService<MonthlySnapshots>(), new DateOnly(2026, 11, 1), CancellationToken.None));
        Assert.Contains("已有快照", again, StringComparison.Ordinal);

        var frozen = (await admin.GetFromJsonAsync<MonthlyReport>($"/api/reports/monthly/{OctoberScenario.Month}", ApiJson.Options))!;
        Assert.True(frozen.Frozen);
        Assert.Equal(1, frozen.SnapshotRevision);
        Assert.Equal((3, 1, 4), (frozen.Visits.Visits, frozen.StalledTotal, frozen.Targets.HntePer10k.Firms));

        // History is edited afterwards: a visit logged late, the stalled lead backdated to nurturing, a certificate
        // entered late for a firm that held it in October.
        await host.WithDbAsync(async db =>
        {
            var firm = host.Ids.Firms["regressing"];
            var visit = new Visit { FirmId = firm, On = new DateOnly(2026, 10, 9), Status = VisitStatus.Done, Kind = VisitKind.Phone, CreatedById = host.Ids.OfficerA };
            visit.Officers.Add(new VisitOfficer { UserId = host.Ids.OfficerA });
            db.Visits.Add(visit);
            var stalled = await db.Cases.Include(c => c.Transitions).SingleAsync(c => c.Id == host.Ids.StalledCase);
            stalled.Transitions.Add(new CaseTransition { FromStage = "lead", ToStage = "nurturing", On = new DateOnly(2026, 10, 20) });
            (stalled.Stage, stalled.StageSince) = ("nurturing", new DateOnly(2026, 10, 20));
            await db.SaveChangesAsync();
        });

        var stillFrozen = (await admin.GetFromJsonAsync<MonthlyReport>($"/api/reports/monthly/{OctoberScenario.Month}", ApiJson.Options))!;
        Assert.Equal((1, 3, 1), (stillFrozen.SnapshotRevision, stillFrozen.Visits.Visits, stillFrozen.StalledTotal));

        var refused = await admin.PostAsJsonAsync($"/api/reports/monthly/{OctoberScenario.Month}/snapshots", new SnapshotRequest(" "), ApiJson.Options);
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        var running = await admin.PostAsJsonAsync("/api/reports/monthly/2026-11/snapshots", new SnapshotRequest("too early"), ApiJson.Options);
        Assert.Equal(HttpStatusCode.BadRequest, running.StatusCode);

        var rerun = await admin.PostAsJsonAsync($"/api/reports/monthly/{OctoberScenario.Month}/snapshots", new SnapshotRequest("补录10月走访记录"), ApiJson.Options);
        Assert.Equal(HttpStatusCode.Created, rerun.StatusCode);
        var info = (await rerun.Content.ReadFromJsonAsync<SnapshotInfo>(ApiJson.Options))!;
        Assert.Equal((2, "manual", "补录10月走访记录"), (info.Revision, info.Trigger, info.Reason));

        var current = (await admin.GetFromJsonAsync<MonthlyReport>($"/api/reports/monthly/{OctoberScenario.Month}", ApiJson.Options))!;
        Assert.Equal((2, 4, 0), (current.SnapshotRevision, current.Visits.Visits, current.StalledTotal));

        var revisions = (await admin.GetFromJsonAsync<List<SnapshotInfo>>($"/api/reports/monthly/{OctoberScenario.Month}/snapshots", ApiJson.Options))!;
        Assert.Equal([(1, "month-end-job"), (2, "manual")], revisions.Select(r => (r.Revision, r.Trigger)).ToList());
        var old = (await admin.GetFromJsonAsync<MonthlyReport>($"/api/reports/monthly/{OctoberScenario.Month}/snapshots/1", ApiJson.Options))!;
        Assert.Equal(3, old.Visits.Visits);

        var audit = await host.WithDbAsync((db, _) => db.AuditEntries.AsNoTracking()
            .Where(a => a.EntityType == "MonthlySnapshot").OrderBy(a => a.Id).ToListAsync());
        Assert.Equal(["created", "re-run"], audit.Select(a => a.Action).ToList());
        Assert.Contains(audit[1].Changes, c => c is { Field: "Reason", New: "补录10月走访记录" });
        Assert.Contains(audit[1].Changes, c => c is { Field: "Revision", Old: "1", New: "2" });
        Assert.NotNull(audit[1].UserId);
    }
}
