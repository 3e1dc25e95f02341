using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Xuhui.Crm.Domain.Programs;
using Xuhui.Crm.Domain.Targets;
using Xuhui.Crm.Domain.Time;
using Xuhui.Crm.Domain.Visits;
using Xuhui.Crm.Web.Data;
using Xuhui.Crm.Web.Features.Search;
using Xuhui.Crm.Web.Features.Reference;
using Xuhui.Crm.Web.Features.Targets;

namespace Xuhui.Crm.Web.Features.Reports;

/// <summary>The report sections past the pipeline: time in stage, visits and follow-ups.</summary>
public sealed partial class MonthlyReportBuilder
{
    /// <summary>Stays that ended in the month: days from entering the stage to leaving it; median per programme and stage.</summary>
    private async Task<List<StageDuration>> TimeInStageAsync(DateOnly from, DateOnly to, CancellationToken ct)
    {
        // Unscoped: every firm. A district's stays are those of firms in it on the day the stay ended (DistrictHistory, as
        // in the stage counts).
        var rows = db.District is not { } district
            ? await db.Database.SqlQuery<StayRow>($"""
                SELECT x."Program" AS "Program", x."FromStage" AS "Stage", x."LeftOn" AS "LeftOn", x."EnteredOn" AS "EnteredOn"
                FROM (
                    SELECT c."Program" AS "Program", t."FromStage" AS "FromStage", t."On" AS "LeftOn",
                           LAG(t."On") OVER (PARTITION BY t."CaseId" ORDER BY t."On", t."Id") AS "EnteredOn"
                    FROM "CaseTransitions" AS t
                    JOIN "Cases" AS c ON c."Id" = t."CaseId"
                    JOIN "Firms" AS f ON f."Id" = c."FirmId"
                    WHERE f."IsArchived" = FALSE AND t."On" <= {to}
                      AND t."CaseId" IN (SELECT m."CaseId" FROM "CaseTransitions" AS m WHERE m."On" >= {from} AND m."On" <= {to})
                ) AS x
                WHERE x."LeftOn" >= {from} AND x."FromStage" IS NOT NULL AND x."EnteredOn" IS NOT NULL
                """).ToListAsync(ct)
            : await db.Database.SqlQuery<StayRow>($"""
                SELECT x."Program" AS "Program", x."FromStage" AS "Stage", x."LeftOn" AS "LeftOn", x."EnteredOn" AS "EnteredOn"
                FROM (
                    SELECT c."Program" AS "Program", t."FromStage" AS "FromStage", t."On" AS "LeftOn", c."FirmId" AS "FirmId",
                           LAG(t."On") OVER (PARTITION BY t."CaseId" ORDER BY t."On", t."Id") AS "EnteredOn"
                    FROM "CaseTransitions" AS t
                    JOIN "Cases" AS c ON c."Id" = t."CaseId"
                    JOIN "Firms" AS f ON f."Id" = c."FirmId"
                    WHERE f."IsArchived" = FALSE AND t."On" <= {to}
                      AND (f."DistrictCode" = {district} OR EXISTS (SELECT 1 FROM "FirmStatusChanges" AS h WHERE h."FirmId" = f."Id" AND h."DistrictCode" = {district}))
                      AND t."CaseId" IN (SELECT m."CaseId" FROM "CaseTransitions" AS m WHERE m."On" >= {from} AND m."On" <= {to})
                ) AS x
                JOIN "Firms" AS f ON f."Id" = x."FirmId"
                WHERE x."LeftOn" >= {from} AND x."FromStage" IS NOT NULL AND x."EnteredOn" IS NOT NULL
                  AND CASE WHEN NOT EXISTS (SELECT 1 FROM "FirmStatusChanges" AS h WHERE h."FirmId" = f."Id" AND h."DistrictCode" IS NOT NULL)
                           THEN f."DistrictCode" = {district}
                           ELSE COALESCE(
                                (SELECT h."DistrictCode" FROM "FirmStatusChanges" AS h WHERE h."FirmId" = f."Id" AND h."EffectiveOn" <= x."LeftOn"
                                 ORDER BY h."EffectiveOn" DESC, h."Id" DESC LIMIT 1),
                                CASE WHEN EXISTS (SELECT 1 FROM "FirmStatusChanges" AS h WHERE h."FirmId" = f."Id" AND h."EffectiveOn" <= x."LeftOn") THEN NULL
                                     ELSE (SELECT h."DistrictCode" FROM "FirmStatusChanges" AS h WHERE h."FirmId" = f."Id" ORDER BY h."EffectiveOn", h."Id" LIMIT 1) END,
                                f."DistrictCode") = {district} END
                """).ToListAsync(ct);
        return rows.GroupBy(r => (r.Program, r.Stage))
            .Select(g => new StageDuration(
                g.Key.Program, Programs.Find(g.Key.Program)?.NameZh ?? g.Key.Program, g.Key.Stage,
                Programs.FindStage(g.Key.Program, g.Key.Stage)?.NameZh ?? g.Key.Stage, g.Count(),
                TargetMath.Median(g.Select(r => r.Days).ToList())))
            .OrderBy(d => d.Program, StringComparer.Ordinal)
            .ThenBy(d => Programs.FindStage(d.Program, d.Stage)?.Order ?? 0)
            .ToList();
    }

    private async Task<VisitSection> VisitsAsync(CrmDbContext context, DateOnly from, DateOnly to, CancellationToken ct)
    {
        var done = context.Visits.AsNoTracking().Where(v => v.Status == VisitStatus.Done && v.On >= from && v.On <= to);
        IQueryable<Domain.Firms.Firm> firms = context.Firms;
        if (context.District is { } district)
        {
            // A district's visits are those to firms in it on the visit's day (DistrictHistory), not to the firms in it now.
            firms = context.Firms.IgnoreQueryFilters();
            done = context.Visits.IgnoreQueryFilters().AsNoTracking().Where(v => v.Status == VisitStatus.Done && v.On >= from && v.On <= to)
                .Join(firms, v => v.FirmId, f => f.Id, (v, f) => new { v, f })
                .WhereInDistrictOn(x => x.f, x => x.v.On, district)
                .Select(x => x.v);
        }

        var byOfficer = await (
                from v in done
                join o in context.VisitOfficers on v.Id equals o.VisitId
                group v.FirmId by o.UserId into g
                select new { UserId = g.Key, Visits = g.Count(), Firms = g.Distinct().Count() })
            .ToListAsync(ct);

        // Visits per firm first, then one firm lookup per visited firm rather than per visit (about half the work).
        var byZone = await (
                from x in done.GroupBy(v => v.FirmId).Select(g => new { FirmId = g.Key, Visits = g.Count() })
                join f in firms on x.FirmId equals f.Id
                group x.Visits by f.Zone into g
                select new { Zone = g.Key, Visits = g.Sum(), Firms = g.Count() })
            .ToListAsync(ct);
        var names = await NamesAsync(context, byOfficer.Select(o => o.UserId), ct);
        var zoneNames = reference.File.Zones.ToDictionary(z => z.Code, z => z.NameZh);

        // A firm has one zone, so the per-zone figures add up to the totals without two more scans of the month.
        return new VisitSection(
            byZone.Sum(z => z.Visits),
            byZone.Sum(z => z.Firms),
            byOfficer.Select(o => new OfficerVisits(o.UserId, names.GetValueOrDefault(o.UserId, $"#{o.UserId}"), o.Visits, o.Firms))
                .OrderByDescending(o => o.Visits).ThenBy(o => o.UserId).ToList(),
            byZone.Select(z => new ZoneVisits(z.Zone, z.Zone is null ? "未指定" : zoneNames.GetValueOrDefault(z.Zone, z.Zone), z.Visits, z.Firms))
                .OrderByDescending(z => z.Visits).ThenBy(z => z.Zone, StringComparer.Ordinal).ToList());
    }

    private async Task<FollowUpSection> FollowUpsAsync(DateOnly from, DateOnly to, DateOnly overdueAsOf, CancellationToken ct)
    {
        // Three index ranges instead of a scan of every task due in the past: completed in the month (on time or late),
        // open and due by the cut-off, and done after the cut-off but due by it (overdue then, completed since). An open
        // task has no completion date and a done one always has (TasksApi); cancelled ones are left out.
        var counts = db.District is { } district ? await DistrictFollowUpsAsync(district, from, to, overdueAsOf, ct) : await db.Database.SqlQuery<FollowUpRow>($"""
            SELECT x."AssigneeId" AS "UserId",
                   SUM(CASE WHEN x."Kind" = 1 THEN 1 ELSE 0 END) AS "OnTime",
                   SUM(CASE WHEN x."Kind" = 2 THEN 1 ELSE 0 END) AS "Late",
                   SUM(CASE WHEN x."Kind" = 3 THEN 1 ELSE 0 END) AS "Overdue"
            FROM (
                SELECT t."AssigneeId", CASE WHEN t."CompletedOn" <= t."DueOn" THEN 1 ELSE 2 END AS "Kind"
                FROM "Tasks" AS t WHERE t."Status" = 'Done' AND t."CompletedOn" >= {from} AND t."CompletedOn" <= {to}
                UNION ALL
                SELECT t."AssigneeId", 3 FROM "Tasks" AS t WHERE t."Status" = 'Open' AND t."DueOn" <= {overdueAsOf}
                UNION ALL
                SELECT t."AssigneeId", 3 FROM "Tasks" AS t WHERE t."Status" = 'Done' AND t."CompletedOn" > {overdueAsOf} AND t."DueOn" <= {overdueAsOf}
            ) AS x
            GROUP BY x."AssigneeId"
            """).ToListAsync(ct);
        var completed = counts.Select(r => new { r.UserId, OnTime = (int)r.OnTime, Late = (int)r.Late }).Where(r => r.OnTime > 0 || r.Late > 0).ToList();
        var overdue = counts.Select(r => new { r.UserId, Count = (int)r.Overdue }).Where(r => r.Count > 0).ToList();
        var ids = completed.Select(c => c.UserId).Union(overdue.Select(o => o.UserId)).ToList();
        var names = await NamesAsync(db, ids, ct);
        var rows = ids.Select(id => new AssigneeFollowUps(
                id,
                names.GetValueOrDefault(id, $"#{id}"),
                completed.FirstOrDefault(c => c.UserId == id)?.OnTime ?? 0,
                completed.FirstOrDefault(c => c.UserId == id)?.Late ?? 0,
                overdue.FirstOrDefault(o => o.UserId == id)?.Count ?? 0))
            .OrderByDescending(r => r.StillOverdue).ThenBy(r => r.UserId).ToList();
        return new FollowUpSection(overdueAsOf, rows.Sum(r => r.CompletedOnTime), rows.Sum(r => r.CompletedLate), rows.Sum(r => r.StillOverdue), rows);
    }

    /// <summary>
    /// The follow-up counts of one district: tasks of firms that were in it on the day that counts (completion, or the
    /// overdue cut-off; DistrictHistory). Raw SQL bypasses the district filters, so the scope goes in here.
    /// </summary>
    private async Task<List<FollowUpRow>> DistrictFollowUpsAsync(string district, DateOnly from, DateOnly to, DateOnly overdueAsOf, CancellationToken ct) =>
        await db.Database.SqlQuery<FollowUpRow>($"""
            SELECT x."AssigneeId" AS "UserId",
                   SUM(CASE WHEN x."Kind" = 1 THEN 1 ELSE 0 END) AS "OnTime",
                   SUM(CASE WHEN x."Kind" = 2 THEN 1 ELSE 0 END) AS "Late",
                   SUM(CASE WHEN x."Kind" = 3 THEN 1 ELSE 0 END) AS "Overdue"
            FROM (
                SELECT t."AssigneeId", t."FirmId", t."CompletedOn" AS "On", CASE WHEN t."CompletedOn" <= t."DueOn" THEN 1 ELSE 2 END AS "Kind"
                FROM "Tasks" AS t WHERE t."Status" = 'Done' AND t."CompletedOn" >= {from} AND t."CompletedOn" <= {to}
                UNION ALL
                SELECT t."AssigneeId", t."FirmId", {overdueAsOf}, 3 FROM "Tasks" AS t WHERE t."Status" = 'Open' AND t."DueOn" <= {overdueAsOf}
                UNION ALL
                SELECT t."AssigneeId", t."FirmId", {overdueAsOf}, 3 FROM "Tasks" AS t WHERE t."Status" = 'Done' AND t."CompletedOn" > {overdueAsOf} AND t."DueOn" <= {overdueAsOf}
            ) AS x
            JOIN "Firms" AS f ON f."Id" = x."FirmId"
            WHERE CASE WHEN NOT EXISTS (SELECT 1 FROM "FirmStatusChanges" AS h WHERE h."FirmId" = f."Id" AND h."DistrictCode" IS NOT NULL)
                       THEN f."DistrictCode" = {district}
                       ELSE COALESCE(
                            (SELECT h."DistrictCode" FROM "FirmStatusChanges" AS h WHERE h."FirmId" = f."Id" AND h."EffectiveOn" <= x."On"
                             ORDER BY h."EffectiveOn" DESC, h."Id" DESC LIMIT 1),
                            CASE WHEN EXISTS (SELECT 1 FROM "FirmStatusChanges" AS h WHERE h."FirmId" = f."Id" AND h."EffectiveOn" <= x."On") THEN NULL
                                 ELSE (SELECT h."DistrictCode" FROM "FirmStatusChanges" AS h WHERE h."FirmId" = f."Id" ORDER BY h."EffectiveOn", h."Id" LIMIT 1) END,
                            f."DistrictCode") = {district} END
            GROUP BY x."AssigneeId"
            """).ToListAsync(ct);

    private static async Task<Dictionary<long, string>> NamesAsync(CrmDbContext context, IEnumerable<long> ids, CancellationToken ct)
    {
        var list = ids.Distinct().ToList();
        return await context.Users.AsNoTracking().Where(u => list.Contains(u.Id)).ToDictionaryAsync(u => u.Id, u => u.DisplayName, ct);
    }

    private sealed class FollowUpRow
    {
        public long UserId { get; set; }

        // SUM is bigint on PostgreSQL.
        public long OnTime { get; set; }
        public long Late { get; set; }
        public long Overdue { get; set; }
    }

    private sealed class StageRow
    {
        public long CaseId { get; set; }
        public string Program { get; set; } = string.Empty;
        public string Stage { get; set; } = string.Empty;
        public DateOnly Since { get; set; }
    }

    /// <summary>The days are worked out here: date arithmetic differs between SQLite (julianday) and PostgreSQL (date - date).</summary>
    private sealed class StayRow
    {
        public string Program { get; set; } = string.Empty;
        public string Stage { get; set; } = string.Empty;
        public DateOnly LeftOn { get; set; }
        public DateOnly? EnteredOn { get; set; }

        public int Days => LeftOn.DayNumber - EnteredOn!.Value.DayNumber;
    }
}
