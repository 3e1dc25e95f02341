using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using Xuhui.Crm.Domain.Cases;
using Xuhui.Crm.Domain.Firms;
using Xuhui.Crm.Web.Data;
using Xuhui.Crm.Web.Shared;
using Xuhui.Crm.Web.Shared.Localisation;

namespace Xuhui.Crm.Web.Features.Cases;

/// <summary>Who may change a case, and opening a case for a firm.</summary>
public static class CaseAccess
{
    /// <summary>
    /// Case owners, supervisors and admins edit a case; an officer edits the cases they own, not the firm's other
    /// cases (a co-officer or the lead officer of the firm included): who owns a case is a supervisor's assignment.
    /// </summary>
    public static bool CanEdit(ClaimsPrincipal user, long ownerId) =>
        user.IsManager() || (user.CanWrite() && ownerId == user.UserId());

    /// <summary>
    /// The firm's lead and co-officers, supervisors and admins open cases for it; <paramref name="firm"/> comes with
    /// its co-officers loaded.
    /// </summary>
    public static bool CanOpenFor(ClaimsPrincipal user, Firm firm)
    {
        if (user.IsManager())
        {
            return true;
        }

        var me = user.UserId();
        return user.CanWrite() && (firm.LeadOfficerId == me || firm.CoOfficers.Any(o => o.UserId == me));
    }
}

/// <summary>Loading a case to read or change it, and saving it with the version check every write shares.</summary>
internal static class CaseStore
{
    public static Task<Case?> LoadAsync(CrmDbContext db, long id, bool tracking, CancellationToken ct)
    {
        var query = db.Cases.Include(c => c.Firm).Include(c => c.Transitions).Include(c => c.AnnualReports).AsSplitQuery();
        return (tracking ? query : query.AsNoTracking()).FirstOrDefaultAsync(c => c.Id == id, ct);
    }

    public static CaseDto Dto(this CaseServices s, Case c) =>
        CaseDto.From(c, c.Firm?.Name, s.Reference.Programs, s.Today(), withHistory: true);

    /// <summary>A tracked case to change: not found, forbidden (<paramref name="forbidden"/>) or a conflict with the current case when stale.</summary>
    public static async Task<Outcome<Case>> LoadForEditAsync(
        CaseServices s, ClaimsPrincipal user, long id, int version, string forbidden, CancellationToken ct)
    {
        var c = await LoadAsync(s.Db, id, tracking: true, ct);
        if (c is null)
        {
            return Outcome.NotFound(Messages.CaseNotFound(id));
        }

        if (!CaseAccess.CanEdit(user, c.OwnerId))
        {
            return Outcome.Forbidden(forbidden);
        }

        if (version != c.Version)
        {
            return Outcome.Conflict(Text.F("案件已被修改：提交的版本为 {0}，当前版本为 {1}", version, c.Version), s.Dto(c));
        }

        s.Db.Entry(c).Property(x => x.Version).OriginalValue = version;
        return Outcome.Ok(c);
    }

    /// <summary>Saves; a concurrent change caught by the version token becomes a conflict with the current case.</summary>
    public static async Task<Outcome<CaseDto>> SaveAsync(CaseServices s, Case c, CancellationToken ct)
    {
        try
        {
            await s.Db.SaveChangesAsync(ct);
        }
        catch (DbUpdateConcurrencyException)
        {
            s.Db.ChangeTracker.Clear();
            var current = await LoadAsync(s.Db, c.Id, tracking: false, ct);
            return Outcome.Conflict(Text.T("案件已被他人修改，请刷新后重试"), s.Dto(current!));
        }

        return Outcome.Ok(s.Dto(c));
    }
}
