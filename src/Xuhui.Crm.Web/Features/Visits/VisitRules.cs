using Microsoft.EntityFrameworkCore;
using Xuhui.Crm.Domain.Time;
using Xuhui.Crm.Domain.Visits;
using Xuhui.Crm.Web.Data;
using Xuhui.Crm.Web.Features.Tasks;
using Xuhui.Crm.Web.Shared;
using Xuhui.Crm.Web.Shared.Localisation;

namespace Xuhui.Crm.Web.Features.Visits;

/// <summary>The visit form's rules, shared by logging and editing a visit.</summary>
public static class VisitRules
{
    public static async Task<Errors> ValidateAsync(VisitRequest r, CrmDbContext db, TimeProvider clock, CancellationToken ct)
    {
        var errors = new Errors();
        var today = ShanghaiTime.Today(clock);
        if (r.FirmId is null || !await db.Firms.AnyAsync(f => f.Id == r.FirmId && !f.IsArchived, ct))
        {
            errors.Add("firmId", Messages.UnknownFirm);
        }

        if (r.Kind is null)
        {
            errors.Add("kind", Text.F("必填，取值应为：{0}", Json.Allowed<VisitKind>()));
        }

        var status = r.Status ?? VisitStatus.Done;
        var on = r.On ?? (r.StartsAt is { } s ? ShanghaiTime.ToDate(s) : null);
        if (on is null)
        {
            errors.Add("on", Text.T("走访日期必填"));
        }
        else if (status == VisitStatus.Done && on > today)
        {
            errors.Add("on", Text.T("已完成的走访日期不能晚于今天"));
        }

        if (status == VisitStatus.Planned && r.StartsAt is null)
        {
            errors.Add("startsAt", Text.T("计划走访须填写开始时间，以便生成日历邀请"));
        }

        if (r.StartsAt is { } startsAt && r.On is { } date && ShanghaiTime.ToDate(startsAt) != date)
        {
            errors.Add("startsAt", Text.T("开始时间与走访日期不一致"));
        }

        if (r.DurationMinutes is < 1 or > 24 * 60)
        {
            errors.Add("durationMinutes", Text.T("时长应在1–1440分钟之间"));
        }

        var officerIds = (r.OfficerIds ?? []).Distinct().ToList();
        if (officerIds.Count > 0)
        {
            var known = await Assignable(db, r.FirmId).Where(u => officerIds.Contains(u.Id)).CountAsync(ct);
            if (known != officerIds.Count)
            {
                errors.Add("officerIds", Text.T("包含不存在或已停用的专员"));
            }
        }

        var contactIds = (r.ContactIds ?? []).Distinct().ToList();
        if (contactIds.Count > 0)
        {
            var known = await db.Contacts.Where(c => contactIds.Contains(c.Id) && c.FirmId == r.FirmId).CountAsync(ct);
            if (known != contactIds.Count)
            {
                errors.Add("contactIds", Text.T("联系人须属于该企业"));
            }
        }

        foreach (var (f, i) in (r.FollowUps ?? []).Select((f, i) => (f, i)))
        {
            if (string.IsNullOrWhiteSpace(f.Title))
            {
                errors.Add($"followUps[{i}].title", TaskRules.TitleRequired);
            }

            if (f.DueOn is null)
            {
                errors.Add($"followUps[{i}].dueOn", TaskRules.DueOnRequired);
            }

            if (f.AssigneeId is { } a && !await Assignable(db, r.FirmId).AnyAsync(u => u.Id == a, ct))
            {
                errors.Add($"followUps[{i}].assigneeId", Text.F("用户 {0} 不存在或已停用", a));
            }

            if (f.CaseId is { } c && !await db.Cases.AnyAsync(x => x.Id == c && x.FirmId == r.FirmId, ct))
            {
                errors.Add($"followUps[{i}].caseId", TaskRules.CaseOfAnotherFirm);
            }
        }

        return errors;
    }

    /// <summary>Copies the form onto the visit; the creator always stays among its officers.</summary>
    public static void Apply(VisitRequest r, Visit v, long creator)
    {
        v.Status = r.Status ?? VisitStatus.Done;
        v.Kind = r.Kind!.Value;
        v.On = r.On ?? ShanghaiTime.ToDate(r.StartsAt!.Value);
        v.StartsAt = r.StartsAt?.ToUniversalTime();
        v.DurationMinutes = r.DurationMinutes;
        v.Location = string.IsNullOrWhiteSpace(r.Location) ? null : r.Location.Trim();
        v.Summary = r.Summary?.Trim();
        v.Requests = string.IsNullOrWhiteSpace(r.Requests) ? null : r.Requests.Trim();
        var officers = (r.OfficerIds ?? []).Append(creator).Distinct().ToList();
        v.Officers.RemoveAll(o => !officers.Contains(o.UserId));
        v.Officers.AddRange(officers.Where(o => v.Officers.All(x => x.UserId != o)).Select(o => new VisitOfficer { UserId = o }));
        var contacts = (r.ContactIds ?? []).Distinct().ToList();
        v.Contacts.RemoveAll(c => !contacts.Contains(c.ContactId));
        v.Contacts.AddRange(contacts.Where(c => v.Contacts.All(x => x.ContactId != c)).Select(c => new VisitContact { ContactId = c }));
    }

    /// <summary>Done visits of the resetting kinds (on-site and meetings by default) restart the firm's visit cadence.</summary>
    public static bool ResetsCadence(Visit v, CadenceOptions cadence) =>
        v.Status == VisitStatus.Done && cadence.ResettingKinds.Contains(Json.EnumText(v.Kind));

    // The last-visit date is the system's, not a person's: it is written by a set-based UPDATE that leaves the firm's
    // version alone, so a visit never fails on a firm being edited and never makes an officer's open edit stale.
    public static async Task UpdateCadenceAsync(CrmDbContext db, Visit v, CadenceOptions cadence, CancellationToken ct)
    {
        if (ResetsCadence(v, cadence))
        {
            var on = v.On;
            await db.Firms.Where(f => f.Id == v.FirmId && (f.LastVisitOn == null || f.LastVisitOn < on))
                .ExecuteUpdateAsync(s => s.SetProperty(f => f.LastVisitOn, on), ct);
        }
    }

    /// <summary>An edit can move a visit's date or kind, so the last-visit date is recomputed from all the firm's visits.</summary>
    public static async Task RecomputeCadenceAsync(CrmDbContext db, long firmId, CadenceOptions cadence, CancellationToken ct)
    {
        var kinds = Enum.GetValues<VisitKind>().Where(k => cadence.ResettingKinds.Contains(Json.EnumText(k))).ToList();
        await db.Firms.Where(f => f.Id == firmId).ExecuteUpdateAsync(
            s => s.SetProperty(
                f => f.LastVisitOn,
                f => db.Visits.Where(v => v.FirmId == f.Id && v.Status == VisitStatus.Done && kinds.Contains(v.Kind)).Max(v => (DateOnly?)v.On)),
            ct);
    }

    private static IQueryable<Domain.Users.User> Assignable(CrmDbContext db, long? firmId) =>
        firmId is { } id ? Users.UserDirectory.Assignable(db, id) : Users.UserDirectory.Assignable(db, (string?)null);
}
