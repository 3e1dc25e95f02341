using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using Xuhui.Crm.Domain.Firms;
using Xuhui.Crm.Web.Shared;
using Xuhui.Crm.Web.Shared.Localisation;
using Xuhui.Crm.Web.Shared.Firms;

namespace Xuhui.Crm.Web.Features.Firms;

/// <summary>Records a status change (POST /api/firms/{id}/status-changes); the latest effective one is the firm's status.</summary>
public static class AddStatusChange
{
    public sealed record Command(long FirmId, StatusChangeRequest Input);

    public static async Task<Outcome<StatusChangeDto>> HandleAsync(Command command, ClaimsPrincipal user, FirmServices s, CancellationToken ct)
    {
        var (db, id, request) = (s.Db, command.FirmId, command.Input);
        var firm = await db.Firms.Include(f => f.CoOfficers).FirstOrDefaultAsync(f => f.Id == id, ct);
        if (firm is null)
        {
            return Outcome.NotFound(Messages.FirmNotFound(id));
        }

        if (!await FirmAccess.CanEditAsync(db, user, firm, ct))
        {
            return Outcome.Forbidden(Text.T("只有该企业的专员、科长或管理员可以变更状态"));
        }

        var errors = Validate(request);
        if (errors.Any)
        {
            return Outcome.Invalid(errors);
        }

        var change = new FirmStatusChange
        {
            FirmId = id,
            Status = request.Status!.Value,
            EffectiveOn = request.EffectiveOn!.Value,
            Note = request.Note,
            RecordedById = user.UserId(),
            RecordedAt = s.Clock.GetUtcNow().UtcDateTime,
        };
        db.FirmStatusChanges.Add(change);
        var latest = await db.FirmStatusChanges.Where(c => c.FirmId == id).OrderByDescending(c => c.EffectiveOn).ThenByDescending(c => c.Id)
            .Select(c => new { c.EffectiveOn }).FirstOrDefaultAsync(ct);
        if (latest is null || change.EffectiveOn >= latest.EffectiveOn)
        {
            firm.Status = change.Status;
        }

        await db.SaveChangesAsync(ct);
        return Outcome.Created(
            $"/api/firms/{id}/status-changes",
            new StatusChangeDto(change.Id, change.Status, change.EffectiveOn, change.Note, change.RecordedById, change.RecordedAt));
    }

    private static Errors Validate(StatusChangeRequest request)
    {
        var errors = new Errors();
        if (request.Status is null)
        {
            errors.Add("status", Text.F("必填：{0}", Json.Allowed<FirmStatus>()));
        }

        if (request.EffectiveOn is null)
        {
            errors.Add("effectiveOn", FirmText.Required);
        }

        return errors;
    }
}
