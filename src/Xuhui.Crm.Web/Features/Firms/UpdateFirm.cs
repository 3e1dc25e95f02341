using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using Xuhui.Crm.Domain.Firms;
using Xuhui.Crm.Domain.Time;
using Xuhui.Crm.Web.Shared;
using Xuhui.Crm.Web.Shared.Localisation;
using Xuhui.Crm.Web.Shared.Firms;

namespace Xuhui.Crm.Web.Features.Firms;

/// <summary>Edits a firm (PUT /api/firms/{id} and the edit page) against the version the caller read.</summary>
public static class UpdateFirm
{
    public sealed record Command(long Id, FirmDto Input);

    public static async Task<Outcome<FirmDto>> HandleAsync(Command command, ClaimsPrincipal user, FirmServices s, CancellationToken ct)
    {
        var (db, clock, cadence) = (s.Db, s.Clock, s.Options.Value.Cadence);
        var (id, request) = (command.Id, command.Input);
        var firm = await db.Firms.Include(f => f.Financials).Include(f => f.CoOfficers).FirstOrDefaultAsync(f => f.Id == id, ct);
        if (firm is null)
        {
            return Outcome.NotFound(Messages.FirmNotFound(id));
        }

        if (!await FirmAccess.CanEditAsync(db, user, firm, ct))
        {
            return Outcome.Forbidden(Text.T("只有该企业的负责专员、协办专员、科长或管理员可以修改"));
        }

        if (request.Version != firm.Version)
        {
            return Outcome.Conflict(
                FirmText.StaleVersion(request.Version, firm.Version),
                FirmDto.From(firm, firm.CoOfficers.Select(o => o.UserId), cadence, withFinancials: true));
        }

        // Who works on the firm is a supervisor's assignment: a co-officer edits the firm's facts, not its team. The lead
        // officer still seats and unseats co-officers, but cannot hand the firm on (refused by the validation).
        var me = user.UserId();
        if (!user.IsManager() && firm.LeadOfficerId != me
            && (request.LeadOfficerId != firm.LeadOfficerId || !FirmWrites.SameOfficers(firm, request.CoOfficerIds)))
        {
            return Outcome.Forbidden(Text.T("只有负责专员、科长或管理员可以调整协办专员，只有科长或管理员可以更换负责专员"));
        }

        var errors = await ValidateAsync(command, firm, user, s, ct);
        if (errors.Any)
        {
            return Outcome.Invalid(errors);
        }

        db.Entry(firm).Property(f => f.Version).OriginalValue = request.Version;
        FirmValidation.Apply(request, firm);
        var today = ShanghaiTime.Today(clock);
        if (request.LeadOfficerId != firm.LeadOfficerId)
        {
            firm.LeadOfficerId = request.LeadOfficerId;
            firm.AssignedOn = request.LeadOfficerId is null ? null : today;
        }

        FirmWrites.SyncCoOfficers(db, firm, request.CoOfficerIds);
        if (request.Financials is not null)
        {
            FirmWrites.SyncFinancials(firm, request.Financials);
        }

        if (request.Status != firm.Status)
        {
            firm.Status = request.Status;
            firm.StatusChanges.Add(new FirmStatusChange
            {
                Status = request.Status,
                EffectiveOn = today,
                RecordedById = me,
                RecordedAt = clock.GetUtcNow().UtcDateTime,
            });
        }

        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateConcurrencyException)
        {
            return await FirmWrites.ConflictWithCurrentAsync(db, id, cadence, ct);
        }

        return Outcome.Ok(FirmDto.From(firm, firm.CoOfficers.Select(o => o.UserId), cadence, withFinancials: true));
    }

    private static async Task<Errors> ValidateAsync(Command command, Firm firm, ClaimsPrincipal user, FirmServices s, CancellationToken ct)
    {
        var (id, request) = (command.Id, command.Input);
        var errors = FirmValidation.Validate(request, s.Reference, FirmValidation.ZoneDistrict(s.Options.Value, firm.DistrictCode));
        if (request.District is not null && request.District != firm.DistrictCode)
        {
            errors.Add("district", Text.F("企业所属区不能修改，迁移请用 POST /api/firms/{0}/transfer", id));
        }

        if (request.LeadOfficerId != firm.LeadOfficerId && !user.IsManager())
        {
            errors.Add("leadOfficerId", Text.T("只有科长或管理员可以更换负责专员"));
        }

        await FirmWrites.CheckOfficersAsync(s.Db, errors, firm.DistrictCode, request.LeadOfficerId, request.CoOfficerIds, ct);
        var code = string.IsNullOrWhiteSpace(request.CreditCode) ? null : CreditCode.Normalize(request.CreditCode);
        if (!errors.Any && code is not null && await s.Db.Firms.AnyAsync(f => f.CreditCode == code && f.Id != id, ct))
        {
            errors.Add("creditCode", Text.T("该统一社会信用代码已登记为其他企业"));
        }

        return errors;
    }
}
