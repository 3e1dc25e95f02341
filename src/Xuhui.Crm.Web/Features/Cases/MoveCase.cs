using System.Globalization;
using System.Security.Claims;
using Xuhui.Crm.Domain.Programs;
using Xuhui.Crm.Web.Shared;
using Xuhui.Crm.Web.Shared.Localisation;

namespace Xuhui.Crm.Web.Features.Cases;

/// <summary>
/// Moves a case to another stage. The request names the stage it expects the case at, so a move made on a stale
/// screen is a conflict, not a surprise; the rules of the move are the domain case's.
/// </summary>
public static class MoveCase
{
    public sealed record Command(long Id, TransitionRequest Request);

    public static async Task<Outcome<CaseDto>> HandleAsync(Command command, ClaimsPrincipal user, CaseServices s, CancellationToken ct)
    {
        var (id, request) = command;
        var c = await CaseStore.LoadAsync(s.Db, id, tracking: true, ct);
        if (c is null)
        {
            return Outcome.NotFound(Messages.CaseNotFound(id));
        }

        if (!CaseAccess.CanEdit(user, c.OwnerId))
        {
            return Outcome.Forbidden(Text.T("只有案件负责人、科长或管理员可以变更阶段"));
        }

        var today = s.Today();
        var errors = new Errors();
        if (string.IsNullOrWhiteSpace(request.FromStage))
        {
            errors.Add("fromStage", Text.T("必填：请求须说明期望从哪个阶段变更"));
        }

        if (string.IsNullOrWhiteSpace(request.ToStage))
        {
            errors.Add("toStage", CaseMessages.Required);
        }

        var on = request.On ?? today;
        if (on > today)
        {
            errors.Add("on", CaseMessages.NotInFuture);
        }
        else if (on < c.StageSince)
        {
            errors.Add("on", Text.F("日期不能早于当前阶段的开始日期 {0}", c.StageSince.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)));
        }

        if (errors.Any)
        {
            return Outcome.Invalid(errors);
        }

        var catalog = s.Reference.Programs;
        var check = c.MoveTo(catalog, request.FromStage!, request.ToStage!, on, user.UserId(), s.UtcNow(), request.Note);
        if (check.Status == TransitionStatus.Stale)
        {
            return Outcome.Conflict(CaseMessages.Refusal(check, catalog), s.Dto(c));
        }

        if (!check.IsAllowed)
        {
            return Outcome.Invalid("toStage", CaseMessages.Refusal(check, catalog));
        }

        return await CaseStore.SaveAsync(s, c, ct);
    }
}
