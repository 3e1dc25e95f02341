using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using Xuhui.Crm.Domain.Firms;
using Xuhui.Crm.Domain.Requests;
using Xuhui.Crm.Domain.Time;
using Xuhui.Crm.Domain.Users;
using Xuhui.Crm.Domain.Visits;
using Xuhui.Crm.Web.Shared;
using Xuhui.Crm.Web.Shared.Localisation;

namespace Xuhui.Crm.Web.Features.Firms;

/// <param name="ToDistrict">The district the firm moves to (GB/T 2260 code).</param>
/// <param name="EffectiveOn">The transfer date (default today): the firm counts for the old district before it, the new one from it.</param>
/// <param name="LeadOfficerId">An officer of the new district who takes the firm and its open cases, tasks and requests.</param>
/// <param name="Version">The firm's version as last read: a stale one is refused (409).</param>
[WritesTo(typeof(Firm))]
public sealed record TransferRequest([property: WritesColumn(nameof(Firm.DistrictCode))] string? ToDistrict, DateOnly? EffectiveOn, long? LeadOfficerId, string? Note, int? Version);

public sealed record TransferResult(long FirmId, string FromDistrict, string ToDistrict, DateOnly EffectiveOn, long? LeadOfficerId, int CasesReassigned, int TasksReassigned, int RequestsReassigned, int Version);

/// <summary>
/// Moves a firm to another district with everything that hangs off it. Cases, visits, tasks, contacts, requests and the
/// audit trail follow the firm through its id (the district filters key on the firm row), so the move is one row plus the
/// status history and the hand-over of open work: moved-out in the old district and moved-in in the new, same day, so
/// as-of counts put the firm on the old side before the date and on the new side from it.
/// Who may: the source district's admins and supervisors (their scope finds the firm) and city admins (no scope).
/// </summary>
public static class TransferFirm
{
    public sealed record Command(long Id, TransferRequest Input);

    private static readonly DateOnly Baseline = DateOnly.MinValue;

    public static async Task<Outcome<TransferResult>> HandleAsync(Command command, ClaimsPrincipal user, FirmServices s, CancellationToken ct)
    {
        var (db, reference, clock, id, request) = (s.Db, s.Reference, s.Clock, command.Id, command.Input);
        if (!s.Options.Value.MultiDistrict)
        {
            return Outcome.Conflict(Text.T("本系统只服务一个区，企业迁出请登记「迁出」状态"));
        }

        var firm = await db.Firms.Include(f => f.CoOfficers).FirstOrDefaultAsync(f => f.Id == id, ct);
        if (firm is null)
        {
            return Outcome.NotFound(Messages.FirmNotFound(id));
        }

        var today = ShanghaiTime.Today(clock);
        var on = request.EffectiveOn ?? today;
        var errors = new Errors();
        if (request.Version is null)
        {
            errors.Add("version", Problems.VersionRequired);
        }

        if (string.IsNullOrWhiteSpace(request.ToDistrict) || !reference.IsDistrict(request.ToDistrict))
        {
            errors.Add("toDistrict", Text.T("应为上海市 16 个区之一的区划代码"));
        }
        else if (request.ToDistrict == firm.DistrictCode)
        {
            errors.Add("toDistrict", Text.F("企业已在{0}", firm.DistrictName));
        }

        if (on > today)
        {
            errors.Add("effectiveOn", Text.T("迁移日期不能晚于今天"));
        }

        var latest = await db.FirmStatusChanges.Where(s => s.FirmId == id).MaxAsync(s => (DateOnly?)s.EffectiveOn, ct);
        if (latest is { } last && on < last)
        {
            errors.Add("effectiveOn", Text.F("迁移日期不能早于最近一次状态变更 {0:yyyy-MM-dd}", last));
        }

        var to = request.ToDistrict!;
        if (request.LeadOfficerId is { } lead
            && !await db.Users.AnyAsync(u => u.Id == lead && u.IsActive && u.DistrictCode == to && (u.Role == Roles.Officer || u.Role == Roles.Supervisor || u.Role == Roles.Admin), ct))
        {
            errors.Add("leadOfficerId", Text.F("负责专员须为迁入区 ({0}) 的在职专员、科长或管理员", to));
        }

        if (errors.Any)
        {
            return Outcome.Invalid(errors);
        }

        if (request.Version != firm.Version)
        {
            return Outcome.Conflict(FirmText.StaleVersion(request.Version, firm.Version));
        }

        // Open work held by people outside the new district needs a new holder there.
        var outsiders = db.Users.Where(u => u.DistrictCode != to || u.DistrictCode == null).Select(u => u.Id);
        var openCases = await db.Cases.Where(c => c.FirmId == id && c.IsOpen && outsiders.Contains(c.OwnerId)).ToListAsync(ct);
        var openTasks = await db.Tasks.Where(t => t.FirmId == id && t.Status == FollowUpStatus.Open && outsiders.Contains(t.AssigneeId)).ToListAsync(ct);
        var openRequests = await db.Requests.Where(r => r.FirmId == id && r.Status != RequestStatus.Resolved && r.Status != RequestStatus.CannotResolve && outsiders.Contains(r.OwnerId)).ToListAsync(ct);
        if (request.LeadOfficerId is null && (openCases.Count > 0 || openTasks.Count > 0 || openRequests.Count > 0))
        {
            return Outcome.Invalid(
                "leadOfficerId",
                Text.F("企业有未结案件 {0} 件、待办 {1} 项、诉求 {2} 件，须指定迁入区的负责专员接手", openCases.Count, openTasks.Count, openRequests.Count));
        }

        var from = firm.DistrictCode;
        var now = clock.GetUtcNow().UtcDateTime;
        var me = user.UserId();
        await using var tx = await db.Database.BeginTransactionAsync(ct);

        // Rows written before districts were recorded mean "the firm's current district": pin them to the old one first.
        await db.FirmStatusChanges.Where(s => s.FirmId == id && s.DistrictCode == null)
            .ExecuteUpdateAsync(s => s.SetProperty(x => x.DistrictCode, from), ct);
        if (latest is null)
        {
            // No history: the firm counted by its current status on every date; keep that true for the old district.
            db.FirmStatusChanges.Add(new FirmStatusChange
            {
                FirmId = id, Status = firm.Status, EffectiveOn = Baseline, DistrictCode = from,
                Note = StatusNotes.Baseline, RecordedById = me, RecordedAt = now,
            });
        }

        var note = string.IsNullOrWhiteSpace(request.Note) ? null : request.Note.Trim();
        db.FirmStatusChanges.Add(new FirmStatusChange
        {
            FirmId = id, Status = FirmStatus.MovedOut, EffectiveOn = on, DistrictCode = from,
            Note = StatusNotes.MovedTo(reference.DistrictName(to), note),
            RecordedById = me, RecordedAt = now,
        });
        db.FirmStatusChanges.Add(new FirmStatusChange
        {
            FirmId = id, Status = FirmStatus.MovedIn, EffectiveOn = on, DistrictCode = to,
            Note = StatusNotes.MovedFrom(reference.DistrictName(from), note),
            RecordedById = me, RecordedAt = now,
        });

        db.Entry(firm).Property(f => f.Version).OriginalValue = request.Version!.Value;
        firm.DistrictCode = to;
        firm.DistrictName = reference.DistrictName(to);
        firm.Status = FirmStatus.MovedIn;
        if (firm.Zone is { } zone && reference.File.Zones.FirstOrDefault(z => z.Code == zone)?.District is { } zoneDistrict && zoneDistrict != to)
        {
            firm.Zone = null;
        }

        if (firm.LeadOfficerId != request.LeadOfficerId)
        {
            firm.LeadOfficerId = request.LeadOfficerId;
            firm.AssignedOn = request.LeadOfficerId is null ? null : today;
        }

        var keep = await db.Users.Where(u => u.DistrictCode == to).Select(u => u.Id).ToListAsync(ct);
        foreach (var co in firm.CoOfficers.Where(o => !keep.Contains(o.UserId)).ToList())
        {
            firm.CoOfficers.Remove(co);
            db.FirmOfficers.Remove(co);
            db.RecordChange(id, nameof(Firm), id, "CoOfficer", co.UserId.ToString(System.Globalization.CultureInfo.InvariantCulture), null);
        }

        if (request.LeadOfficerId is { } newOwner)
        {
            openCases.ForEach(c => c.OwnerId = newOwner);
            openTasks.ForEach(t => t.AssigneeId = newOwner);
            openRequests.ForEach(r => r.OwnerId = newOwner);
        }

        try
        {
            await db.SaveChangesAsync(ct);
            await tx.CommitAsync(ct);
        }
        catch (DbUpdateConcurrencyException)
        {
            return Outcome.Conflict(Text.T("企业已被他人同时修改，请刷新后重试"));
        }

        return Outcome.Ok(new TransferResult(id, from, to, on, firm.LeadOfficerId, openCases.Count, openTasks.Count, openRequests.Count, firm.Version));
    }
}
