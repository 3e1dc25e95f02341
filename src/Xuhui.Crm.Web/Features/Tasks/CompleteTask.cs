using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using Xuhui.Crm.Domain.Time;
using Xuhui.Crm.Domain.Visits;
using Xuhui.Crm.Web.Shared;
using Xuhui.Crm.Web.Shared.Localisation;

namespace Xuhui.Crm.Web.Features.Tasks;

/// <summary>Marks an open task done; the version is optional so the one-click workbench button needs none.</summary>
public static class CompleteTask
{
    public sealed record Command(long Id, int? Version, DateOnly? CompletedOn, string? Note);

    public static async Task<Outcome<TaskDto>> HandleAsync(Command c, ClaimsPrincipal user, TaskServices s, CancellationToken ct)
    {
        var task = await s.Db.Tasks.FirstOrDefaultAsync(t => t.Id == c.Id, ct);
        if (task is null)
        {
            return Outcome.NotFound(TaskRules.TaskNotFound(c.Id));
        }

        if (!await TaskRules.CanEditAsync(s.Db, user, task, ct))
        {
            return Outcome.Forbidden(Text.T("只有被分派人、企业专员、科长或管理员可以完成跟进事项"));
        }

        var today = ShanghaiTime.Today(s.Clock);
        if (c.Version is { } version && version != task.Version)
        {
            return Outcome.Conflict(TaskRules.Stale(version, task.Version), TaskDto.From(task, null, today));
        }

        if (task.Status != FollowUpStatus.Open)
        {
            return Outcome.Conflict(Text.T("该跟进事项已完成或已取消"), TaskDto.From(task, null, today));
        }

        var completedOn = c.CompletedOn ?? today;
        if (completedOn > today)
        {
            return Outcome.Invalid("completedOn", Text.T("完成日期不能晚于今天"));
        }

        if (c.Version is { } v)
        {
            s.Db.Entry(task).Property(t => t.Version).OriginalValue = v;
        }

        task.Status = FollowUpStatus.Done;
        task.CompletedOn = completedOn;
        task.CompletionNote = string.IsNullOrWhiteSpace(c.Note) ? null : c.Note.Trim();
        return await TaskRules.SaveAsync(s.Db, task, today, ct);
    }
}
