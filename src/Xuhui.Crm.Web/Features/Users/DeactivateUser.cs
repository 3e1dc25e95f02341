using System.Globalization;
using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using Xuhui.Crm.Domain.Auditing;
using Xuhui.Crm.Domain.Firms;
using Xuhui.Crm.Domain.Time;
using Xuhui.Crm.Domain.Users;
using Xuhui.Crm.Domain.Visits;
using Xuhui.Crm.Web.Data;
using Xuhui.Crm.Web.Data.Pipeline;
using Xuhui.Crm.Web.Shared;
using Xuhui.Crm.Web.Shared.Localisation;

namespace Xuhui.Crm.Web.Features.Users;

/// <summary>Deactivation names who takes over: lead firms, co-officer seats, open cases and open tasks move to them in one transaction.</summary>
public static class DeactivateUser
{
    public sealed record Command(long Id, long? HandOverTo);

    public static async Task<Outcome<HandOverSummary>> HandleAsync(Command c, ClaimsPrincipal principal, UserServices s, CancellationToken ct)
    {
        var (id, db) = (c.Id, s.Db);
        var user = await UserDirectory.Visible(db).FirstOrDefaultAsync(u => u.Id == id, ct);
        if (user is null)
        {
            return Outcome.NotFound(Messages.UserNotFound(id));
        }

        if (!user.IsActive)
        {
            return Outcome.Conflict(Text.T("该用户已停用"), UserDto.From(user));
        }

        if (id == principal.UserId())
        {
            return Outcome.Invalid("id", Text.T("不能停用自己"));
        }

        if (user.Role == Roles.Admin && !await UserRules.AnotherAdminAsync(db, id, ct))
        {
            return Outcome.Invalid("id", Text.T("不能停用最后一位管理员"));
        }

        if (c.HandOverTo is null)
        {
            return Outcome.Invalid("handOverTo", Text.T("停用用户须指定接手其企业、案件和待办的人员"));
        }

        // The successor takes over the user's firms: someone the caller sees, and of the user's own district (or city-wide).
        var successor = await UserDirectory.Assignable(db, user.DistrictCode).FirstOrDefaultAsync(u => u.Id == c.HandOverTo, ct);
        if (successor is null || successor.Id == id)
        {
            return Outcome.Invalid("handOverTo", Text.T("接手人须为本区其他在职的专员、科长或管理员"));
        }

        var before = UserAudit.Snapshot.Of(user);
        var (led, co) = await HandOverFirmsAsync(db, id, successor.Id, ShanghaiTime.Today(s.Clock), ct);
        var cases = await db.Cases.Where(x => x.OwnerId == id && x.IsOpen).ToListAsync(ct);
        cases.ForEach(x => x.OwnerId = successor.Id);
        var tasks = await db.Tasks.Where(t => t.AssigneeId == id && t.Status == FollowUpStatus.Open).ToListAsync(ct);
        tasks.ForEach(t => t.AssigneeId = successor.Id);
        var reports = await db.Users.Where(u => u.SupervisorId == id).ToListAsync(ct);
        var successorSupervises = successor.Role is Roles.Supervisor or Roles.Admin;
        reports.ForEach(u => u.SupervisorId = successorSupervises ? successor.Id : null);
        user.IsActive = false;
        user.SecurityStamp = Guid.NewGuid().ToString("N");
        var summary = new HandOverSummary(led, co, cases.Count, tasks.Count, reports.Count);
        UserAudit.Record(db, user, "deactivated", before, passwordChanged: false,
            new AuditChange("HandOverTo", null, AuditRows.Format(successor.Id)),
            new AuditChange("HandedOver", null, $"firms={led}, coOfficerFirms={co}, cases={cases.Count}, tasks={tasks.Count}, reports={reports.Count}"));
        await db.SaveChangesAsync(ct);
        return Outcome.Ok(summary);
    }

    /// <summary>Moves the lead and co-officer seats to the successor (never twice on one firm); counts both.</summary>
    private static async Task<(int Led, int Co)> HandOverFirmsAsync(CrmDbContext db, long id, long successorId, DateOnly today, CancellationToken ct)
    {
        var firms = await db.Firms.Include(f => f.CoOfficers).Where(f => f.LeadOfficerId == id || f.CoOfficers.Any(o => o.UserId == id)).ToListAsync(ct);
        int led = 0, co = 0;
        foreach (var firm in firms)
        {
            if (firm.LeadOfficerId == id)
            {
                firm.LeadOfficerId = successorId;
                firm.AssignedOn = today;
                firm.CoOfficers.RemoveAll(o => o.UserId == successorId);
                led++;
            }

            if (firm.CoOfficers.RemoveAll(o => o.UserId == id) > 0)
            {
                co++;
                if (firm.LeadOfficerId != successorId && firm.CoOfficers.All(o => o.UserId != successorId))
                {
                    firm.CoOfficers.Add(new FirmOfficer { FirmId = firm.Id, UserId = successorId });
                }

                db.RecordChange(firm.Id, nameof(Firm), firm.Id, "CoOfficerIds", id.ToString(CultureInfo.InvariantCulture), successorId.ToString(CultureInfo.InvariantCulture));
            }
        }

        return (led, co);
    }
}
