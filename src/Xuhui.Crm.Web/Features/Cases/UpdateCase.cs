using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using Xuhui.Crm.Web.Features.Users;
using Xuhui.Crm.Web.Shared;
using Xuhui.Crm.Web.Shared.Localisation;

namespace Xuhui.Crm.Web.Features.Cases;

/// <summary>Replaces the programme data a case owner maintains (little-giant project, R&amp;D centre, pre-IPO) and its owner.</summary>
public static class UpdateCase
{
    public sealed record Command(long Id, CaseUpdateRequest Request);

    public static async Task<Outcome<CaseDto>> HandleAsync(Command command, ClaimsPrincipal user, CaseServices s, CancellationToken ct)
    {
        var (id, request) = command;
        if (request.Version is null)
        {
            return Outcome.Invalid("version", Problems.VersionRequired);
        }

        var loaded = await CaseStore.LoadForEditAsync(s, user, id, request.Version.Value, Text.T("只有案件负责人、科长或管理员可以修改案件"), ct);
        if (!loaded.IsOk)
        {
            return loaded.Failure;
        }

        var c = loaded.Value!;
        var errors = new Errors();
        var ownerId = request.OwnerId ?? c.OwnerId;
        if (ownerId != c.OwnerId && !user.IsManager())
        {
            errors.Add("ownerId", Text.T("只有科长或管理员可以更换案件负责人"));
        }
        else if (ownerId != c.OwnerId && !await UserDirectory.Assignable(s.Db, c.FirmId).AnyAsync(u => u.Id == ownerId, ct))
        {
            errors.Add("ownerId", CaseMessages.NotAssignable(ownerId));
        }

        if (request.LittleGiantTier is not null && !CaseRules.LittleGiantTiers.Contains(request.LittleGiantTier))
        {
            errors.Add("littleGiantTier", CaseMessages.OneOf(CaseRules.LittleGiantTiers));
        }

        if (request.RdCenterType is not null && !CaseRules.RdCenterTypes.Contains(request.RdCenterType))
        {
            errors.Add("rdCenterType", CaseMessages.OneOf(CaseRules.RdCenterTypes));
        }

        if (request.TargetBoard is not null && !CaseRules.Boards.Contains(request.TargetBoard))
        {
            errors.Add("targetBoard", CaseMessages.OneOf(CaseRules.Boards));
        }

        if (request.EvaluationScore is < 0 or > 100)
        {
            errors.Add("evaluationScore", Text.T("评分应在0–100之间"));
        }

        if (request.ProjectStartOn is not null && request.ProjectEndOn is not null && request.ProjectEndOn <= request.ProjectStartOn)
        {
            errors.Add("projectEndOn", Text.T("项目结束日期应晚于开始日期"));
        }

        if (errors.Any)
        {
            return Outcome.Invalid(errors);
        }

        c.OwnerId = ownerId;
        c.LittleGiantTier = request.LittleGiantTier;
        c.Cohort = request.Cohort;
        c.ProjectStartOn = request.ProjectStartOn;
        // The little-giant project period is two years unless the approval says otherwise.
        c.ProjectEndOn = request.ProjectEndOn ?? request.ProjectStartOn?.AddYears(2).AddDays(-1);
        c.EvaluationScore = request.EvaluationScore;
        c.EvaluationGrade = CaseRules.Grade(request.EvaluationScore);
        c.RdCenterType = request.RdCenterType;
        c.RecognizedOn = request.RecognizedOn;
        c.TargetBoard = request.TargetBoard;
        c.Sponsor = string.IsNullOrWhiteSpace(request.Sponsor) ? null : request.Sponsor.Trim();
        c.FiledOn = request.FiledOn;
        return await CaseStore.SaveAsync(s, c, ct);
    }
}
