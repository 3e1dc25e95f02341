using Microsoft.EntityFrameworkCore;
using Xuhui.Crm.Web.Shared;
using Xuhui.Crm.Web.Shared.Localisation;

namespace Xuhui.Crm.Web.Features.Users;

/// <summary>Brings a deactivated user back (with no firms: the hand-over stays); their old sessions stay revoked.</summary>
public static class ReactivateUser
{
    public sealed record Command(long Id);

    public static async Task<Outcome<UserDto>> HandleAsync(Command c, UserServices s, CancellationToken ct)
    {
        var user = await UserDirectory.Visible(s.Db).FirstOrDefaultAsync(u => u.Id == c.Id, ct);
        if (user is null)
        {
            return Outcome.NotFound(Messages.UserNotFound(c.Id));
        }

        if (user.IsActive)
        {
            return Outcome.Conflict(Text.T("该用户未停用"), UserDto.From(user));
        }

        var before = UserAudit.Snapshot.Of(user);
        user.IsActive = true;
        user.FailedLogins = 0;
        user.LockedUntil = null;
        UserAudit.Record(s.Db, user, "reactivated", before, passwordChanged: false);
        return await UserRules.SaveOrConflictAsync(s.Db, user, ct) is { } conflict ? conflict : Outcome.Ok(UserDto.From(user));
    }
}
