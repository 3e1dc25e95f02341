using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using Xuhui.Crm.Web.Shared;
using Xuhui.Crm.Web.Shared.Localisation;

namespace Xuhui.Crm.Web.Features.Firms;

/// <summary>Archives a firm (DELETE /api/firms/{id}): the row stays, so everything that refers to it keeps working.</summary>
public static class ArchiveFirm
{
    public sealed record Command(long Id);

    public static async Task<Outcome<long>> HandleAsync(Command command, ClaimsPrincipal user, FirmServices s, CancellationToken ct)
    {
        var firm = await s.Db.Firms.FirstOrDefaultAsync(f => f.Id == command.Id, ct);
        if (firm is null)
        {
            return Outcome.NotFound(Messages.FirmNotFound(command.Id));
        }

        if (!user.IsManager() && firm.LeadOfficerId != user.UserId())
        {
            return Outcome.Forbidden(Text.T("只有负责专员、科长或管理员可以归档企业"));
        }

        firm.IsArchived = true;
        await s.Db.SaveChangesAsync(ct);
        return Outcome.Ok(firm.Id);
    }
}
