using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using Xuhui.Crm.Domain.Users;
using Xuhui.Crm.Domain.Visits;
using Xuhui.Crm.Web.Data;
using Xuhui.Crm.Web.Shared;
using Xuhui.Crm.Web.Shared.Localisation;
using Xuhui.Crm.Web.Shared.Firms;

namespace Xuhui.Crm.Web.Features.Tasks;

/// <summary>The follow-up rules the task use cases share; the visit form reuses its field messages.</summary>
public static class TaskRules
{
    public static string TaskNotFound(long id) => Text.F("跟进事项 {0} 不存在", id);

    public static string TitleRequired => Text.T("跟进事项必填");

    public static string DueOnRequired => Text.T("截止日期必填");

    public static string CaseOfAnotherFirm => Text.T("案件须属于该企业");

    public static string Stale(int submitted, int current) => Text.F("跟进事项已被修改：提交的版本为 {0}，当前版本为 {1}", submitted, current);

    /// <summary>A new open follow-up; the task form and the visit form create them alike.</summary>
    public static FollowUpTask New(long firmId, long? caseId, long assigneeId, string title, string? kind, DateOnly dueOn, long createdBy) => new()
    {
        FirmId = firmId,
        CaseId = caseId,
        AssigneeId = assigneeId,
        Title = title.Trim(),
        Kind = string.IsNullOrWhiteSpace(kind) ? "follow-up" : kind.Trim(),
        DueOn = dueOn,
        Status = FollowUpStatus.Open,
        CreatedById = createdBy,
    };

    /// <summary>The assignee, the firm's officers, supervisors and admins work a task.</summary>
    public static async Task<bool> CanEditAsync(CrmDbContext db, ClaimsPrincipal user, FollowUpTask task, CancellationToken ct) =>
        user.IsManager() || (user.CanWrite() && (task.AssigneeId == user.UserId() || await FirmAccess.CanEditAsync(db, user, task.FirmId, ct)));

    public static async Task<Errors> ValidateAsync(TaskRequest r, CrmDbContext db, CancellationToken ct)
    {
        var errors = new Errors();
        if (r.FirmId is null || !await db.Firms.AnyAsync(f => f.Id == r.FirmId, ct))
        {
            errors.Add("firmId", Text.T("企业不存在"));
        }

        if (string.IsNullOrWhiteSpace(r.Title))
        {
            errors.Add("title", TitleRequired);
        }
        else if (r.Title.Length > 500)
        {
            errors.Add("title", Text.T("不超过500字"));
        }

        if (r.DueOn is null)
        {
            errors.Add("dueOn", DueOnRequired);
        }

        var assignable = r.FirmId is { } firmId ? Users.UserDirectory.Assignable(db, firmId) : Users.UserDirectory.Assignable(db, (string?)null);
        if (r.AssigneeId is { } a && !await assignable.AnyAsync(u => u.Id == a, ct))
        {
            errors.Add("assigneeId", Text.F("用户 {0} 不存在、已停用或无权承办", a));
        }

        if (r.CaseId is { } c && !await db.Cases.AnyAsync(x => x.Id == c && x.FirmId == r.FirmId, ct))
        {
            errors.Add("caseId", CaseOfAnotherFirm);
        }

        return errors;
    }

    /// <summary>Saves an edited task; a concurrent edit answers 409 with the stored task.</summary>
    public static async Task<Outcome<TaskDto>> SaveAsync(CrmDbContext db, FollowUpTask task, DateOnly today, CancellationToken ct)
    {
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateConcurrencyException)
        {
            db.ChangeTracker.Clear();
            var current = await db.Tasks.AsNoTracking().FirstAsync(t => t.Id == task.Id, ct);
            return Outcome.Conflict(Text.T("跟进事项已被他人修改，请刷新后重试"), TaskDto.From(current, null, today));
        }

        return Outcome.Ok(TaskDto.From(task, null, today));
    }
}
