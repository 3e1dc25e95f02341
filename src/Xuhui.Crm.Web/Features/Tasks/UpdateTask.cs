using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using Xuhui.Crm.Domain.Time;
using Xuhui.Crm.Web.Shared;
using Xuhui.Crm.Web.Shared.Localisation;

namespace Xuhui.Crm.Web.Features.Tasks;

/// <summary>Edits a task against the version read; a task stays with its firm.</summary>
public static class UpdateTask
{
    public sealed record Command(long Id, TaskRequest Input);

    public static async Task<Outcome<TaskDto>> HandleAsync(Command c, ClaimsPrincipal user, TaskServices s, CancellationToken ct)
    {
        var request = c.Input;
        var task = await s.Db.Tasks.FirstOrDefaultAsync(t => t.Id == c.Id, ct);
        if (task is null)
        {
            return Outcome.NotFound(TaskRules.TaskNotFound(c.Id));
        }

        if (!await TaskRules.CanEditAsync(s.Db, user, task, ct))
        {
            return Outcome.Forbidden(Text.T("只有被分派人、企业专员、科长或管理员可以修改跟进事项"));
        }

        var today = ShanghaiTime.Today(s.Clock);
        if (request.Version is null)
        {
            return Outcome.Invalid("version", Problems.VersionRequired);
        }

        if (request.Version != task.Version)
        {
            return Outcome.Conflict(TaskRules.Stale(request.Version.Value, task.Version), TaskDto.From(task, null, today));
        }

        var errors = await TaskRules.ValidateAsync(request with { FirmId = task.FirmId }, s.Db, ct);
        if (request.FirmId is not null && request.FirmId != task.FirmId)
        {
            errors.Add("firmId", Text.T("跟进事项不能改到其他企业"));
        }

        if (errors.Any)
        {
            return Outcome.Invalid(errors);
        }

        s.Db.Entry(task).Property(t => t.Version).OriginalValue = request.Version.Value;
        task.CaseId = request.CaseId;
        task.AssigneeId = request.AssigneeId ?? task.AssigneeId;
        task.Title = request.Title!.Trim();
        task.Kind = string.IsNullOrWhiteSpace(request.Kind) ? task.Kind : request.Kind.Trim();
        task.DueOn = request.DueOn!.Value;
        return await TaskRules.SaveAsync(s.Db, task, today, ct);
    }
}
