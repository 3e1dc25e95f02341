using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using Xuhui.Crm.Domain.Firms;
using Xuhui.Crm.Web.Data;
using Xuhui.Crm.Web.Shared;

namespace Xuhui.Crm.Web.Shared.Firms;

/// <summary>Officers edit firms where they are lead or co-officer; supervisors and admins edit all; viewers none.</summary>
public static class FirmAccess
{
    public static async Task<bool> CanEditAsync(CrmDbContext db, ClaimsPrincipal user, Firm firm, CancellationToken ct)
    {
        if (user.IsManager())
        {
            return true;
        }

        if (!user.CanWrite())
        {
            return false;
        }

        var me = user.UserId();
        return firm.LeadOfficerId == me
            || firm.CoOfficers.Any(o => o.UserId == me)
            || await db.FirmOfficers.AnyAsync(o => o.FirmId == firm.Id && o.UserId == me, ct);
    }

    public static async Task<bool> CanEditAsync(CrmDbContext db, ClaimsPrincipal user, long firmId, CancellationToken ct)
    {
        if (user.IsManager())
        {
            return true;
        }

        if (!user.CanWrite())
        {
            return false;
        }

        var me = user.UserId();
        return await db.Firms.AnyAsync(f => f.Id == firmId && (f.LeadOfficerId == me || db.FirmOfficers.Any(o => o.FirmId == f.Id && o.UserId == me)), ct);
    }

    /// <summary>Contact details are personal data: shown in full to the firm's officers, supervisors and admins only.</summary>
    public static Task<bool> CanSeeContactsAsync(CrmDbContext db, ClaimsPrincipal user, long firmId, CancellationToken ct) =>
        user.IsManager() ? Task.FromResult(true) : CanEditAsync(db, user, firmId, ct);
}
