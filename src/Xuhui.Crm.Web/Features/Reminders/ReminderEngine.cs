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

public sealed record ReminderRecipient(long Id, string DisplayName, string? Email, long? SupervisorId, HashSet<string> Kinds, int[] LeadDays, bool EmailEnabled);

/// <summary>What a computation is for: the digest of a day, or the live list behind GET /api/reminders.</summary>
/// <param name="Today">The Shanghai business date.</param>
/// <param name="Since">The previous digest's date: lead-day marks reached after it and on or before today are announced.</param>
/// <param name="VisitsLoggedFrom">Visits logged by others after this instant (UTC) are reported…</param>
/// <param name="VisitsLoggedTo">…up to and including this one.</param>
/// <param name="Digest">True for the digest (lead-day kinds only when announced); false for the live list.</param>
public sealed record ReminderWindow(DateOnly Today, DateOnly Since, DateTime VisitsLoggedFrom, DateTime VisitsLoggedTo, bool Digest);

/// <summary>
/// Works out every reminder for a set of users in a handful of set-based queries (not one per officer), so the digest
/// for hundreds of officers over tens of thousands of firms stays a few queries.
/// </summary>
public sealed partial class ReminderEngine(
    CrmDbContext db, IOptions<RemindersOptions> options, IOptions<CrmOptions> crm, IOptions<Operations.BackupOptions> backup, Reference.ReferenceData reference,
    StorageState? storage = null)
{
    private static readonly string[] DeadStages = ["expired", "withdrawn", "rejected", "failed", "terminated"];

    private RemindersOptions O => options.Value;

    /// <summary>Active users other than viewers, with their subscription or the defaults.</summary>
    public async Task<List<ReminderRecipient>> RecipientsAsync(IReadOnlyCollection<long>? only, CancellationToken ct)
    {
        var users = db.Users.AsNoTracking().Where(u => u.IsActive && u.Role != Roles.Viewer && u.Role != Roles.CityViewer);
        if (crm.Value.MultiDistrict)
        {
            // The scope's users only: a district's digest run reaches its own officers; the unscoped run, the city-wide users.
            var district = db.District;
            users = district is null ? users.Where(u => u.DistrictCode == null) : users.Where(u => u.DistrictCode == district);
        }

        if (only is not null)
        {
            users = users.Where(u => only.Contains(u.Id));
        }

        var list = await users.Select(u => new { u.Id, u.DisplayName, u.UserName, u.Email, u.SupervisorId }).ToListAsync(ct);
        var ids = list.Select(u => u.Id).ToList();
        var subs = await db.ReminderSubscriptions.AsNoTracking().Where(s => ids.Contains(s.UserId)).ToDictionaryAsync(s => s.UserId, ct);
        return list.Select(u =>
        {
            subs.TryGetValue(u.Id, out var s);
            var kinds = s is { Kinds.Count: > 0 } ? s.Kinds.ToHashSet() : ReminderKinds.All.Select(k => k.Kind).ToHashSet();
            var lead = (s is { LeadDays.Count: > 0 } ? s.LeadDays : O.DefaultLeadDays).Distinct().OrderDescending().ToArray();
            return new ReminderRecipient(u.Id, string.IsNullOrEmpty(u.DisplayName) ? u.UserName : u.DisplayName, u.Email, u.SupervisorId, kinds, lead, s?.EmailEnabled ?? true);
        }).ToList();
    }

    public async Task<Dictionary<long, List<ReminderItem>>> ComputeAsync(
        ReminderWindow w, IReadOnlyList<ReminderRecipient> recipients, bool everyone, CancellationToken ct)
    {
        var result = recipients.ToDictionary(r => r.Id, _ => new List<ReminderItem>());
        if (recipients.Count == 0)
        {
            return result;
        }

        var ids = recipients.Select(r => r.Id).ToList();
        var byId = recipients.ToDictionary(r => r.Id);
        var names = await db.Users.AsNoTracking().ToDictionaryAsync(u => u.Id, u => new { Name = string.IsNullOrEmpty(u.DisplayName) ? u.UserName : u.DisplayName, u.SupervisorId, u.IsActive }, ct);

        void Add(long userId, ReminderItem item)
        {
            if (result.TryGetValue(userId, out var items) && byId[userId].Kinds.Contains(item.Kind))
            {
                items.Add(item);
            }
        }

        // Follow-ups: due today, overdue (oldest first), and escalated to the assignee's supervisor.
        var subordinates = everyone ? [] : names.Where(n => n.Value.SupervisorId is { } s && ids.Contains(s)).Select(n => n.Key).ToList();
        var assignees = ids.Concat(subordinates).ToList();
        var tasks = await db.Tasks.AsNoTracking()
            .Where(t => t.Status == FollowUpStatus.Open && t.DueOn <= w.Today && (everyone || assignees.Contains(t.AssigneeId)))
            .OrderBy(t => t.DueOn).ThenBy(t => t.Id)
            .Select(t => new { t.Id, t.Title, t.DueOn, t.AssigneeId, t.FirmId, FirmName = db.Firms.Where(f => f.Id == t.FirmId).Select(f => f.Name).FirstOrDefault() })
            .ToListAsync(ct);
        foreach (var t in tasks)
        {
            var overdue = w.Today.DayNumber - t.DueOn.DayNumber;
            if (overdue == 0)
            {
                Add(t.AssigneeId, new ReminderItem($"{ReminderKinds.TaskDue}:{t.Id}", ReminderKinds.TaskDue, t.Title, $"{t.FirmName} · 今日到期", Links.Task(t.FirmId, t.Id), t.FirmId, t.DueOn, 0));
                continue;
            }

            Add(t.AssigneeId, new ReminderItem($"{ReminderKinds.TaskOverdue}:{t.Id}", ReminderKinds.TaskOverdue, t.Title, $"{t.FirmName} · 逾期 {overdue} 天（应于 {t.DueOn:yyyy-MM-dd} 完成）", Links.Task(t.FirmId, t.Id), t.FirmId, t.DueOn, overdue));
            if (overdue > O.EscalationDays && names.TryGetValue(t.AssigneeId, out var assignee) && assignee.SupervisorId is { } sup)
            {
                Add(sup, new ReminderItem($"{ReminderKinds.TaskEscalated}:{t.Id}", ReminderKinds.TaskEscalated, t.Title, $"{assignee.Name} · {t.FirmName} · 逾期 {overdue} 天", Links.Task(t.FirmId, t.Id), t.FirmId, t.DueOn, overdue, AboutUserId: t.AssigneeId));
            }
        }

        await RequestsAsync(w, assignees, everyone, names.ToDictionary(n => n.Key, n => (n.Value.Name, n.Value.SupervisorId)), Add, ct);
        await BackupAsync(w, ids, Add, ct);
        await CadenceAsync(w, ids, everyone, Add, ct);
        await LeadDayCasesAsync(w, recipients, ids, everyone, Add, ct);
        await AnnualReportsAsync(w, ids, everyone, Add, ct);
        await StalledAsync(w, ids, everyone, Add, ct);
        await VisitsAsync(w, ids, everyone, names.ToDictionary(n => n.Key, n => n.Value.Name), Add, ct);
        await ApplyStatesAsync(w.Today, ids, result, ct);
        return result;
    }

    private async Task ApplyStatesAsync(DateOnly today, List<long> ids, Dictionary<long, List<ReminderItem>> result, CancellationToken ct)
    {
        var hidden = (await db.ReminderStates.AsNoTracking()
                .Where(s => ids.Contains(s.UserId) && (s.DismissedAt != null || s.SnoozedUntil > today))
                .Select(s => new { s.UserId, s.Key })
                .ToListAsync(ct))
            .Select(s => (s.UserId, s.Key)).ToHashSet();
        if (hidden.Count == 0)
        {
            return;
        }

        foreach (var (userId, items) in result)
        {
            items.RemoveAll(i => hidden.Contains((userId, i.Key)));
        }
    }

    /// <summary>The stage's Chinese name from the programme catalogue (the code only if the catalogue does not know it).</summary>
    private string StageName(string program, string stage) => reference.Programs.FindStage(program, stage)?.NameZh ?? stage;

    internal static string ProgramName(string code) => code switch
    {
        ProgramCatalog.Hnte => "高新技术企业",
        ProgramCatalog.LittleGiant => "科技小巨人",
        ProgramCatalog.ForeignRdCenter => "外资研发中心",
        ProgramCatalog.PreIpo => "拟上市企业",
        _ => code,
    };

    internal static string KindName(VisitKind kind) => kind switch
    {
        VisitKind.OnSite => "实地走访",
        VisitKind.Phone => "电话沟通",
        VisitKind.Meeting => "会议",
        VisitKind.Event => "活动",
        _ => kind.ToString(),
    };

    private static string Shorten(string s, int max) => s.Length <= max ? s : s[..max] + "…";
}
