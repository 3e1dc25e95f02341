using System.Security.Claims;
using Xuhui.Crm.Domain.Time;
using Xuhui.Crm.Domain.Users;
using Xuhui.Crm.Web.Shared;
using Xuhui.Crm.Web.Shared.Localisation;
using Xuhui.Crm.Web.Shared.Firms;

namespace Xuhui.Crm.Web.Features.Tasks;

/// <summary>A follow-up for oneself, or assigned to a colleague by someone who works the firm.</summary>
public static class CreateTask
{
    public sealed record Command(TaskRequest Input);

    public static async Task<Outcome<TaskDto>> HandleAsync(Command c, ClaimsPrincipal user, TaskServices s, CancellationToken ct)
    {
        var request = c.Input;
        var errors = await TaskRules.ValidateAsync(request, s.Db, ct);
        if (errors.Any)
        {
            return Outcome.Invalid(errors);
        }

        var me = user.UserId();
        var assignee = request.AssigneeId ?? me;
        if (assignee != me && !user.IsManager() && !await FirmAccess.CanEditAsync(s.Db, user, request.FirmId!.Value, ct))
        {
            return Outcome.Forbidden(Text.T("只能为自己创建跟进事项；为他人分派须是该企业的专员、科长或管理员"));
        }

        var task = TaskRules.New(request.FirmId!.Value, request.CaseId, assignee, request.Title!, request.Kind, request.DueOn!.Value, me);
        s.Db.Tasks.Add(task);
        await s.Db.SaveChangesAsync(ct);
        return Outcome.Created($"/api/tasks/{task.Id}", TaskDto.From(task, null, ShanghaiTime.Today(s.Clock)));
    }
}
