using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Xuhui.Crm.Domain.Firms;
using Xuhui.Crm.Domain.Programs;
using Xuhui.Crm.Domain.Time;
using Xuhui.Crm.Domain.Users;
using Xuhui.Crm.Domain.Visits;
using Xuhui.Crm.Web.Data;
using Xuhui.Crm.Web.Features.Search;
using Xuhui.Crm.Web.Shared;
using Xuhui.Crm.Web.Features.Operations;

namespace Xuhui.Crm.Web.Features.Reminders;

/// <summary>The reminder sources: one set-based query per kind, each adding its items for the users in scope.</summary>
public sealed partial class ReminderEngine
{
    /// <summary>Firm requests past their deadline: to the owner, and after the escalation days to the owner's supervisor.</summary>
    private async Task RequestsAsync(
        ReminderWindow w, List<long> owners, bool everyone, Dictionary<long, (string Name, long? SupervisorId)> names, Action<long, ReminderItem> add, CancellationToken ct)
    {
        var open = Requests.RequestRules.OpenStatuses;
        var requests = await db.Requests.AsNoTracking()
            .Where(r => open.Contains(r.Status) && r.Deadline < w.Today && (everyone || owners.Contains(r.OwnerId)))
            .OrderBy(r => r.Deadline).ThenBy(r => r.Id)
            .Join(db.Firms, r => r.FirmId, f => f.Id, (r, f) => new { r.Id, r.Description, r.Deadline, r.OwnerId, r.FirmId, FirmName = f.Name })
            .ToListAsync(ct);
        foreach (var r in requests)
        {
            var overdue = w.Today.DayNumber - r.Deadline.DayNumber;
            var title = r.Description.Length > 40 ? r.Description[..40] + "…" : r.Description;
            add(r.OwnerId, new ReminderItem($"{ReminderKinds.RequestOverdue}:{r.Id}", ReminderKinds.RequestOverdue, title, $"{r.FirmName} · 逾期 {overdue} 天（办结期限 {r.Deadline:yyyy-MM-dd}）", Links.Request(r.FirmId, r.Id), r.FirmId, r.Deadline, overdue));
            if (overdue > O.EscalationDays && names.TryGetValue(r.OwnerId, out var owner) && owner.SupervisorId is { } sup)
            {
                add(sup, new ReminderItem($"{ReminderKinds.RequestEscalated}:{r.Id}", ReminderKinds.RequestEscalated, title, $"{owner.Name} · {r.FirmName} · 逾期 {overdue} 天", Links.Request(r.FirmId, r.Id), r.FirmId, r.Deadline, overdue, AboutUserId: r.OwnerId));
            }
        }
    }

    /// <summary>Admins hear of a failed or overdue backup in their digest, as well as from readiness.</summary>
    private async Task BackupAsync(ReminderWindow w, List<long> ids, Action<long, ReminderItem> add, CancellationToken ct)
    {
        var admins = await db.Users.AsNoTracking().Where(u => ids.Contains(u.Id) && u.Role == Roles.Admin).Select(u => u.Id).ToListAsync(ct);
        if (admins.Count == 0)
        {
            return;
        }

        var last = await db.Backups.AsNoTracking().OrderByDescending(b => b.StartedAt).FirstOrDefaultAsync(ct);
        var lastGood = await db.Backups.AsNoTracking().Where(b => b.Succeeded).OrderByDescending(b => b.StartedAt).FirstOrDefaultAsync(ct);
        var maxAge = backup.Value.MaxAgeHours;
        ReminderItem? item = null;
        if (last is { Succeeded: false })
        {
            item = new ReminderItem($"{ReminderKinds.BackupProblem}:{last.Id}", ReminderKinds.BackupProblem, "最近一次数据库备份失败", $"{ShanghaiTime.ToLocal(last.StartedAt):yyyy-MM-dd HH:mm}：{last.Error}", Links.AdminJobs, null, ShanghaiTime.ToDate(last.StartedAt), null);
        }
        else if (lastGood is not null && (ShanghaiTime.StartOfDayUtc(w.Today) - lastGood.StartedAt).TotalHours > maxAge)
        {
            item = new ReminderItem($"{ReminderKinds.BackupProblem}:stale:{lastGood.Id}", ReminderKinds.BackupProblem, "数据库备份已超期", $"最近一次成功备份于 {ShanghaiTime.ToLocal(lastGood.StartedAt):yyyy-MM-dd HH:mm}", Links.AdminJobs, null, ShanghaiTime.ToDate(lastGood.StartedAt), null);
        }

        if (item is not null)
        {
            admins.ForEach(a => add(a, item));
        }

        // A full disk seen in the last day: the admins hear of it in the first digest that can be written.
        if (storage?.Last is { LastSeen: { } seen } full && (ShanghaiTime.StartOfDayUtc(w.Today) - seen).TotalHours < 24)
        {
            var now = storage.FullSince is not null ? "，至今仍无法写入" : "，现已恢复";
            var storageItem = new ReminderItem(
                $"{ReminderKinds.StorageFull}:{ShanghaiTime.ToDate(seen):yyyyMMdd}", ReminderKinds.StorageFull, "服务器存储空间已满，写入被拒绝",
                $"最近一次于 {ShanghaiTime.ToLocal(seen):yyyy-MM-dd HH:mm}，共拒绝 {full.Failures} 次写入{now}：{full.Error}", Links.AdminJobs, null, ShanghaiTime.ToDate(seen), null);
            admins.ForEach(a => add(a, storageItem));
        }
    }

    private async Task CadenceAsync(ReminderWindow w, List<long> ids, bool everyone, Action<long, ReminderItem> add, CancellationToken ct)
    {
        var cadence = crm.Value.Cadence;
        var keyCut = w.Today.AddDays(-cadence.KeyDays);
        var regularCut = w.Today.AddDays(-cadence.RegularDays);
        var firms = await db.Firms.AsNoTracking()
            .Where(f => !f.IsArchived && f.LeadOfficerId != null && (f.Status == FirmStatus.Active || f.Status == FirmStatus.MovedIn)
                && (everyone || ids.Contains(f.LeadOfficerId!.Value))
                && ((f.Tier == FirmTier.Key && (f.LastVisitOn ?? f.AssignedOn) < keyCut)
                    || (f.Tier == FirmTier.Regular && (f.LastVisitOn ?? f.AssignedOn) < regularCut)))
            .Select(f => new { f.Id, f.Name, f.LeadOfficerId, f.LastVisitOn, f.AssignedOn, f.Tier })
            .ToListAsync(ct);
        foreach (var f in firms.OrderBy(f => f.LastVisitOn ?? f.AssignedOn))
        {
            var from = (f.LastVisitOn ?? f.AssignedOn)!.Value;
            var days = w.Today.DayNumber - from.DayNumber;
            var period = f.Tier == FirmTier.Key ? $"重点企业，周期 {cadence.KeyDays} 天" : $"周期 {cadence.RegularDays} 天";
            var detail = f.LastVisitOn is null ? $"分配已 {days} 天，从未走访（{period}）" : $"已 {days} 天未走访（{period}）";
            add(f.LeadOfficerId!.Value, new ReminderItem($"{ReminderKinds.VisitCadence}:{f.Id}:{from:yyyyMMdd}", ReminderKinds.VisitCadence, f.Name, detail, Links.Firm(f.Id), f.Id, from, days));
        }
    }

    /// <summary>Certificates and little-giant periods: listed from the first lead-day mark; the digest announces each mark once, then every day of the last stretch.</summary>
    private async Task LeadDayCasesAsync(ReminderWindow w, IReadOnlyList<ReminderRecipient> recipients, List<long> ids, bool everyone, Action<long, ReminderItem> add, CancellationToken ct)
    {
        var horizon = w.Today.AddDays(recipients.Max(r => r.LeadDays.Length == 0 ? 0 : r.LeadDays[0]));
        var leadDays = recipients.ToDictionary(r => r.Id, r => r.LeadDays);
        var certs = await db.Cases.AsNoTracking()
            .Where(c => c.CertificateExpiresOn != null && c.CertificateExpiresOn >= w.Today && c.CertificateExpiresOn <= horizon
                && !DeadStages.Contains(c.Stage) && (everyone || ids.Contains(c.OwnerId)))
            .Select(c => new { c.Id, c.Program, c.OwnerId, c.FirmId, FirmName = c.Firm!.Name, End = c.CertificateExpiresOn!.Value, c.CertificateNumber })
            .ToListAsync(ct);
        foreach (var c in certs.OrderBy(c => c.End))
        {
            if (LeadDayItem(w, leadDays, c.OwnerId, c.End) is not { } left)
            {
                continue;
            }

            var number = string.IsNullOrEmpty(c.CertificateNumber) ? string.Empty : $"（证书号 {c.CertificateNumber}）";
            add(c.OwnerId, new ReminderItem(
                $"{ReminderKinds.CertificateExpiry}:{c.Id}:{c.End:yyyyMMdd}", ReminderKinds.CertificateExpiry, c.FirmName,
                $"{ProgramName(c.Program)}证书{number}将于 {c.End:yyyy-MM-dd} 到期，剩余 {left.Days} 天", Links.Case(c.Id), c.FirmId, c.End, left.Days, Announce: left.Announce));
        }

        var projects = await db.Cases.AsNoTracking()
            .Where(c => c.Program == ProgramCatalog.LittleGiant && c.Stage == "approved" && c.ProjectEndOn != null
                && c.ProjectEndOn >= w.Today && c.ProjectEndOn <= horizon && (everyone || ids.Contains(c.OwnerId)))
            .Select(c => new { c.Id, c.OwnerId, c.FirmId, FirmName = c.Firm!.Name, End = c.ProjectEndOn!.Value, c.LittleGiantTier })
            .ToListAsync(ct);
        foreach (var c in projects.OrderBy(c => c.End))
        {
            if (LeadDayItem(w, leadDays, c.OwnerId, c.End) is not { } left)
            {
                continue;
            }

            var tier = c.LittleGiantTier == "giant" ? "小巨人企业" : "小巨人培育企业";
            add(c.OwnerId, new ReminderItem(
                $"{ReminderKinds.LittleGiantPeriodEnd}:{c.Id}:{c.End:yyyyMMdd}", ReminderKinds.LittleGiantPeriodEnd, c.FirmName,
                $"科技小巨人（{tier}）项目期将于 {c.End:yyyy-MM-dd} 结束，剩余 {left.Days} 天，请准备绩效评价", Links.Case(c.Id), c.FirmId, c.End, left.Days, Announce: left.Announce));
        }
    }

    internal static (int Days, bool Announce)? LeadDayItem(ReminderWindow w, Dictionary<long, int[]> leadDays, long userId, DateOnly end)
    {
        if (!leadDays.TryGetValue(userId, out var marks) || marks.Length == 0)
        {
            return null;
        }

        var left = end.DayNumber - w.Today.DayNumber;
        if (left > marks[0])
        {
            return null;
        }

        var announce = left <= marks[^1] || marks.Any(m => end.AddDays(-m) > w.Since && end.AddDays(-m) <= w.Today);
        return w.Digest && !announce ? null : (left, announce);
    }

    private async Task AnnualReportsAsync(ReminderWindow w, List<long> ids, bool everyone, Action<long, ReminderItem> add, CancellationToken ct)
    {
        var year = w.Today.Year;
        var jan1 = new DateOnly(year, 1, 1);
        var deadline = new DateOnly(year, 5, 31);
        if (w.Today < new DateOnly(year, 5, 1))
        {
            return;
        }

        // A filing counts for this year's 31 May when it is recorded for this year or was filed this year
        // (whether the officer typed the deadline year or the year reported on).
        var cases = await db.Cases.AsNoTracking()
            .Where(c => c.Program == ProgramCatalog.Hnte && c.Stage == "certified"
                && (c.CertificateIssuedOn == null || c.CertificateIssuedOn < jan1)
                && !c.AnnualReports.Any(a => a.Year == year || a.FiledOn >= jan1)
                && (everyone || ids.Contains(c.OwnerId)))
            .Select(c => new { c.Id, c.OwnerId, c.FirmId, FirmName = c.Firm!.Name })
            .ToListAsync(ct);
        foreach (var c in cases)
        {
            var left = deadline.DayNumber - w.Today.DayNumber;
            var detail = left >= 0
                ? $"{year} 年度发展情况报表尚未报送，截止 5 月 31 日，剩余 {left} 天"
                : $"{year} 年度发展情况报表已逾期 {-left} 天未报送（截止 5 月 31 日；累计两次未报将被取消资格）";
            add(c.OwnerId, new ReminderItem($"{ReminderKinds.HnteAnnualReport}:{c.Id}:{year}", ReminderKinds.HnteAnnualReport, c.FirmName, detail, Links.Case(c.Id), c.FirmId, deadline, left));
        }
    }

    private async Task StalledAsync(ReminderWindow w, List<long> ids, bool everyone, Action<long, ReminderItem> add, CancellationToken ct)
    {
        var minimum = Math.Min(O.DefaultStalledDays, O.StalledDays.Count == 0 ? int.MaxValue : O.StalledDays.Values.Min());
        var cut = w.Today.AddDays(-minimum);
        var cases = await db.Cases.AsNoTracking()
            .Where(c => c.IsOpen && c.StageSince < cut && (everyone || ids.Contains(c.OwnerId)))
            .Select(c => new { c.Id, c.Program, c.Stage, c.StageSince, c.OwnerId, c.FirmId, FirmName = c.Firm!.Name })
            .ToListAsync(ct);
        foreach (var c in cases.OrderBy(c => c.StageSince))
        {
            var days = w.Today.DayNumber - c.StageSince.DayNumber;
            var threshold = O.StalledThreshold(c.Program);
            if (days <= threshold)
            {
                continue;
            }

            add(c.OwnerId, new ReminderItem(
                $"{ReminderKinds.CaseStalled}:{c.Id}:{c.Stage}:{c.StageSince:yyyyMMdd}", ReminderKinds.CaseStalled, c.FirmName,
                $"{ProgramName(c.Program)}案件停留在「{StageName(c.Program, c.Stage)}」阶段已 {days} 天（阈值 {threshold} 天）", Links.Case(c.Id), c.FirmId, c.StageSince, days));
        }
    }

    private async Task VisitsAsync(ReminderWindow w, List<long> ids, bool everyone, Dictionary<long, string> names, Action<long, ReminderItem> add, CancellationToken ct)
    {
        // Visits to my firms logged by someone else since the last digest: several offices visiting one firm unawares.
        var logged = await db.Visits.AsNoTracking()
            .Where(v => v.CreatedAt > w.VisitsLoggedFrom && v.CreatedAt <= w.VisitsLoggedTo && v.Status != VisitStatus.Cancelled)
            // For some users (My day, one digest), only visits to their firms: a busy day's visits across the district
            // otherwise load every visited firm (tens of thousands of ids at 50k firms) to keep a handful.
            .Where(v => everyone || db.Firms.Any(f => f.Id == v.FirmId
                && ((f.LeadOfficerId != null && ids.Contains(f.LeadOfficerId.Value)) || db.FirmOfficers.Any(o => o.FirmId == f.Id && ids.Contains(o.UserId)))))
            .Select(v => new { v.Id, v.FirmId, v.On, v.Kind, v.Status, v.CreatedById, v.Summary, Officers = v.Officers.Select(o => o.UserId).ToList() })
            .ToListAsync(ct);
        if (logged.Count > 0)
        {
            var firmIds = logged.Select(v => v.FirmId).Distinct().ToList();
            var firms = await db.Firms.AsNoTracking().Where(f => firmIds.Contains(f.Id))
                .Select(f => new { f.Id, f.Name, f.LeadOfficerId, Co = db.FirmOfficers.Where(o => o.FirmId == f.Id).Select(o => o.UserId).ToList() })
                .ToDictionaryAsync(f => f.Id, ct);
            foreach (var v in logged.OrderBy(v => v.On))
            {
                var firm = firms[v.FirmId];
                var responsible = firm.Co.Append(firm.LeadOfficerId ?? 0).Where(u => u != 0 && u != v.CreatedById && !v.Officers.Contains(u)).Distinct();
                var by = string.Join("、", v.Officers.Append(v.CreatedById).Distinct().Select(u => names.GetValueOrDefault(u, $"#{u}")));
                var what = v.Status == VisitStatus.Planned ? "计划" : "完成";
                var summary = string.IsNullOrWhiteSpace(v.Summary) ? string.Empty : $"：{Shorten(v.Summary, 60)}";
                foreach (var u in responsible.Where(u => everyone || ids.Contains(u)))
                {
                    add(u, new ReminderItem($"{ReminderKinds.OthersVisited}:{v.Id}", ReminderKinds.OthersVisited, firm.Name,
                        $"{by} {what}{KindName(v.Kind)}（{v.On:yyyy-MM-dd}）{summary}", Links.Visit(v.FirmId, v.Id), v.FirmId, v.On, null, VisitId: v.Id));
                }
            }
        }

        var until = w.Today.AddDays(O.UpcomingVisitDays);
        var planned = await db.Visits.AsNoTracking()
            .Where(v => v.Status == VisitStatus.Planned && v.On >= w.Today && v.On <= until)
            .Select(v => new { v.Id, v.FirmId, v.On, v.StartsAt, v.Kind, v.Location, FirmName = db.Firms.Where(f => f.Id == v.FirmId).Select(f => f.Name).FirstOrDefault(), Officers = v.Officers.Select(o => o.UserId).ToList() })
            .ToListAsync(ct);
        foreach (var v in planned.OrderBy(v => v.StartsAt ?? Domain.Time.ShanghaiTime.StartOfDayUtc(v.On)))
        {
            var time = v.StartsAt is { } s ? TimeZoneInfo.ConvertTimeFromUtc(s, Domain.Time.ShanghaiTime.Zone).ToString("yyyy-MM-dd HH:mm") : $"{v.On:yyyy-MM-dd}";
            var where = string.IsNullOrWhiteSpace(v.Location) ? string.Empty : $"，地点：{v.Location}";
            foreach (var u in v.Officers.Where(u => everyone || ids.Contains(u)))
            {
                add(u, new ReminderItem($"{ReminderKinds.UpcomingVisit}:{v.Id}", ReminderKinds.UpcomingVisit, v.FirmName ?? string.Empty,
                    $"{time} {KindName(v.Kind)}{where}", Links.Visit(v.FirmId, v.Id), v.FirmId, v.On, v.On.DayNumber - w.Today.DayNumber, VisitId: v.Id));
            }
        }
    }
}
