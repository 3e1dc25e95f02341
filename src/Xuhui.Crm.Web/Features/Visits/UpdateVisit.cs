using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using Xuhui.Crm.Domain.Users;
using Xuhui.Crm.Web.Shared;
using Xuhui.Crm.Web.Shared.Localisation;
using Xuhui.Crm.Web.Shared.Firms;

namespace Xuhui.Crm.Web.Features.Visits;

/// <summary>
/// Edits a logged visit against the version read. Editing is for its officers, the firm's officers, supervisors and
/// admins; a visit stays with its firm and its follow-ups are tasks of their own by then.
/// </summary>
public static class UpdateVisit
{
    public sealed record Command(long Id, VisitRequest Input);

    public static async Task<Outcome<VisitDto>> HandleAsync(Command c, ClaimsPrincipal user, VisitServices s, CancellationToken ct)
    {
        var request = c.Input;
        var db = s.Db;
        var visit = await db.Visits.Include(v => v.Officers).Include(v => v.Contacts).FirstOrDefaultAsync(v => v.Id == c.Id, ct);
        if (visit is null)
        {
            return Outcome.NotFound(Messages.VisitNotFound(c.Id));
        }

        var me = user.UserId();
        var firm = await db.Firms.AsNoTracking().FirstAsync(f => f.Id == visit.FirmId, ct);
        if (!user.IsManager() && visit.CreatedById != me && visit.Officers.All(o => o.UserId != me) && !await FirmAccess.CanEditAsync(db, user, firm.Id, ct))
        {
            return Outcome.Forbidden(Text.T("只有参与走访的专员、企业负责专员、科长或管理员可以修改走访记录"));
        }

        if (request.Version is null)
        {
            return Outcome.Invalid("version", Problems.VersionRequired);
        }

        if (request.Version != visit.Version)
        {
            return Outcome.Conflict(Text.F("走访记录已被修改：提交的版本为 {0}，当前版本为 {1}", request.Version, visit.Version), VisitDto.From(visit, firm.Name));
        }

        var errors = await VisitRules.ValidateAsync(request with { FirmId = visit.FirmId, FollowUps = null }, db, s.Clock, ct);
        if (request.FirmId is not null && request.FirmId != visit.FirmId)
        {
            errors.Add("firmId", Text.T("走访记录不能改到其他企业"));
        }

        if (errors.Any)
        {
            return Outcome.Invalid(errors);
        }

        db.Entry(visit).Property(v => v.Version).OriginalValue = request.Version.Value;
        VisitRules.Apply(request, visit, visit.CreatedById);
        try
        {
            await using var tx = await db.Database.BeginTransactionAsync(ct);
            await db.SaveChangesAsync(ct);
            await VisitRules.RecomputeCadenceAsync(db, firm.Id, s.Options.Value.Cadence, ct);
            await tx.CommitAsync(ct);
        }
        catch (DbUpdateConcurrencyException)
        {
            db.ChangeTracker.Clear();
            var current = await db.Visits.AsNoTracking().Include(v => v.Officers).Include(v => v.Contacts).FirstAsync(v => v.Id == c.Id, ct);
            return Outcome.Conflict(Text.T("走访记录已被他人修改，请刷新后重试"), VisitDto.From(current, firm.Name));
        }

        return Outcome.Ok(VisitDto.From(visit, firm.Name));
    }
}
