using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using Xuhui.Crm.Domain.Firms;
using Xuhui.Crm.Domain.Time;
using Xuhui.Crm.Domain.Users;
using Xuhui.Crm.Web.Data;
using Xuhui.Crm.Web.Features.Reference;
using Xuhui.Crm.Web.Shared;
using Xuhui.Crm.Web.Shared.Localisation;
using Xuhui.Crm.Web.Shared.Firms;

namespace Xuhui.Crm.Web.Features.Firms;

/// <summary>Registers a firm (POST /api/firms and the new-firm page): the district is the server's choice, the lead an officer of it.</summary>
public static class CreateFirm
{
    public sealed record Command(FirmDto Input);

    public static async Task<Outcome<FirmDto>> HandleAsync(Command command, ClaimsPrincipal user, FirmServices s, CancellationToken ct)
    {
        var (db, reference, clock, options) = (s.Db, s.Reference, s.Clock, s.Options.Value);
        var request = command.Input;
        var district = ResolveDistrict(request, db, reference, options, out var districtError);
        var errors = FirmValidation.Validate(request, reference, FirmValidation.ZoneDistrict(options, district ?? string.Empty));
        if (districtError is not null)
        {
            errors.Add("district", districtError);
        }

        var me = user.UserId();
        var leadId = request.LeadOfficerId ?? (user.IsInRole(Roles.Officer) ? me : null);
        if (!user.IsManager() && leadId != me)
        {
            errors.Add("leadOfficerId", Text.T("专员新建企业时只能指定本人为负责人"));
        }

        await FirmWrites.CheckOfficersAsync(db, errors, district ?? string.Empty, leadId, request.CoOfficerIds, ct);
        var code = string.IsNullOrWhiteSpace(request.CreditCode) ? null : CreditCode.Normalize(request.CreditCode);
        if (!errors.Any && code is not null && await db.Firms.AnyAsync(f => f.CreditCode == code, ct))
        {
            var existing = await db.Firms.Where(f => f.CreditCode == code).Select(f => new { f.Id, f.Name }).FirstAsync(ct);
            errors.Add("creditCode", Text.F("该统一社会信用代码已登记为企业 {0}「{1}」", existing.Id, existing.Name));
        }

        if (errors.Any)
        {
            return Outcome.Invalid(errors);
        }

        var today = ShanghaiTime.Today(clock);
        var firm = new Firm { LeadOfficerId = leadId, AssignedOn = leadId is null ? null : today, Status = request.Status };
        FirmValidation.Apply(request, firm);
        firm.DistrictCode = district!;
        firm.DistrictName = reference.DistrictName(firm.DistrictCode);

        firm.CoOfficers = request.CoOfficerIds.Distinct().Where(id => id != leadId).Select(id => new FirmOfficer { UserId = id }).ToList();
        firm.Financials = (request.Financials ?? []).Select(FirmWrites.ToEntity).ToList();
        firm.StatusChanges.Add(new FirmStatusChange
        {
            Status = request.Status,
            EffectiveOn = request.EstablishedOn is { } est && est <= today && request.Status == FirmStatus.Active ? est : today,
            Note = StatusNotes.Registered,
            RecordedById = me,
            RecordedAt = clock.GetUtcNow().UtcDateTime,
        });
        db.Firms.Add(firm);
        await db.SaveChangesAsync(ct);
        var dto = FirmDto.From(firm, firm.CoOfficers.Select(o => o.UserId), options.Cadence, withFinancials: true);
        return Outcome.Created($"/api/firms/{firm.Id}", dto);
    }

    /// <summary>
    /// The district a new firm is in, decided by the server. One district: the deployment's (Crm:District). Several: a
    /// district user's own; a city admin names one of the reference list's districts. A body may leave it out or repeat
    /// the server's choice; any other value is refused (the name always comes from the reference data).
    /// </summary>
    public static string? ResolveDistrict(FirmDto request, CrmDbContext db, ReferenceData reference, CrmOptions options, out string? error)
    {
        error = null;
        var decided = !options.MultiDistrict ? options.District : db.District;
        if (decided is not null)
        {
            if (request.District is { } named && named != decided)
            {
                error = Text.F("企业只能登记在{0}（{1}）", reference.DistrictName(decided), decided);
            }

            return decided;
        }

        if (request.District is not { } chosen || !reference.IsDistrict(chosen))
        {
            error = Text.T("区划代码不在上海市 16 个区之列");
            return null;
        }

        return chosen;
    }
}
