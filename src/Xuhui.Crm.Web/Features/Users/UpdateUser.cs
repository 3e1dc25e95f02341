using Microsoft.EntityFrameworkCore;
using Xuhui.Crm.Domain.Users;
using Xuhui.Crm.Web.Shared;
using Xuhui.Crm.Web.Shared.Localisation;

namespace Xuhui.Crm.Web.Features.Users;

public static class UpdateUser
{
    public sealed record Command(long Id, UserRequest Request);

    public static async Task<Outcome<UserDto>> HandleAsync(Command c, UserServices s, CancellationToken ct)
    {
        var (id, request, db) = (c.Id, c.Request, s.Db);
        var user = await UserDirectory.Visible(db).FirstOrDefaultAsync(u => u.Id == id, ct);
        if (user is null)
        {
            return Outcome.NotFound(Messages.UserNotFound(id));
        }

        if (request.Version is null)
        {
            return Outcome.Invalid("version", Problems.VersionRequired);
        }

        if (request.Version != user.Version)
        {
            return Outcome.Conflict(Text.F("用户已被修改：提交的版本为 {0}，当前版本为 {1}", request.Version, user.Version), UserDto.From(user));
        }

        var errors = await UserRules.ValidateAsync(request, user, db, ct);
        var district = UserRules.ResolveDistrict(request, user, db, s.Reference, s.Options.Value, errors);
        if (request.UserName is not null && request.UserName.Trim() != user.UserName)
        {
            errors.Add("userName", Text.T("用户名不可修改"));
        }

        if (user.Role == Roles.Admin && request.Role != Roles.Admin && !await UserRules.AnotherAdminAsync(db, id, ct))
        {
            errors.Add("role", Text.T("不能移除最后一位管理员"));
        }

        if (errors.Any)
        {
            return Outcome.Invalid(errors);
        }

        db.Entry(user).Property(u => u.Version).OriginalValue = request.Version!.Value;
        var before = UserAudit.Snapshot.Of(user);
        // A new district changes what the user may see: their sessions end like on a role change.
        var stampChanges = request.Role != user.Role || request.Password is not null || district != user.DistrictCode;
        user.DistrictCode = district;
        user.DisplayName = request.DisplayName!.Trim();
        user.Email = request.Email?.Trim();
        user.Role = request.Role!;
        user.SupervisorId = request.SupervisorId;
        if (request.Password is not null)
        {
            user.PasswordHash = s.Hasher.HashPassword(user, request.Password);
            user.FailedLogins = 0;
            user.LockedUntil = null;
        }

        if (stampChanges)
        {
            // Issued tokens carry the old stamp and stop working.
            user.SecurityStamp = Guid.NewGuid().ToString("N");
        }

        if (before != UserAudit.Snapshot.Of(user) || request.Password is not null)
        {
            UserAudit.Record(db, user, "updated", before, passwordChanged: request.Password is not null);
        }

        return await UserRules.SaveOrConflictAsync(db, user, ct) is { } conflict ? conflict : Outcome.Ok(UserDto.From(user));
    }
}
