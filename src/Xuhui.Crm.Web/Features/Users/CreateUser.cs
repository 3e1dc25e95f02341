using Microsoft.EntityFrameworkCore;
using Xuhui.Crm.Domain.Users;
using Xuhui.Crm.Web.Shared;
using Xuhui.Crm.Web.Shared.Localisation;

namespace Xuhui.Crm.Web.Features.Users;

public static class CreateUser
{
    public sealed record Command(UserRequest Request);

    public static async Task<Outcome<UserDto>> HandleAsync(Command c, UserServices s, CancellationToken ct)
    {
        var (request, db) = (c.Request, s.Db);
        var errors = await UserRules.ValidateAsync(request, null, db, ct);
        var district = UserRules.ResolveDistrict(request, null, db, s.Reference, s.Options.Value, errors);
        if (string.IsNullOrWhiteSpace(request.UserName))
        {
            errors.Add("userName", Text.T("用户名必填"));
        }
        else if (await db.Users.AnyAsync(u => u.UserName == request.UserName.Trim(), ct))
        {
            errors.Add("userName", Text.T("用户名已存在"));
        }

        if (request.Password is null)
        {
            errors.Add("password", Text.T("初始密码必填"));
        }

        if (errors.Any)
        {
            return Outcome.Invalid(errors);
        }

        var user = new User
        {
            UserName = request.UserName!.Trim(),
            DisplayName = request.DisplayName!.Trim(),
            Email = request.Email?.Trim(),
            Role = request.Role!,
            SupervisorId = request.SupervisorId,
            DistrictCode = district,
        };
        user.PasswordHash = s.Hasher.HashPassword(user, request.Password!);
        // The audit row needs the new id: both saves commit together or not at all.
        await using (var tx = await db.Database.BeginTransactionAsync(ct))
        {
            db.Users.Add(user);
            await db.SaveChangesAsync(ct);
            UserAudit.Record(db, user, "created", null, passwordChanged: true);
            await db.SaveChangesAsync(ct);
            await tx.CommitAsync(ct);
        }

        return Outcome.Created($"/api/users/{user.Id}", UserDto.From(user));
    }
}
