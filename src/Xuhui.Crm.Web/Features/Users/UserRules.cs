using Microsoft.EntityFrameworkCore;
using Xuhui.Crm.Domain.Users;
using Xuhui.Crm.Web.Data;
using Xuhui.Crm.Web.Features.Reference;
using Xuhui.Crm.Web.Shared;
using Xuhui.Crm.Web.Shared.Localisation;

namespace Xuhui.Crm.Web.Features.Users;

/// <summary>The rules a user's create and edit share: fields, supervisor, password strength and the district.</summary>
public static class UserRules
{
    public const int MinPasswordLength = 10;

    /// <summary>
    /// One district: every user is in the deployment's district unless named. Several: a district admin's users are in
    /// the admin's district; a city admin names it, except for city viewers and city admins (no district: they see all).
    /// </summary>
    public static string? ResolveDistrict(UserRequest r, User? existing, CrmDbContext db, ReferenceData reference, CrmOptions options, Errors errors)
    {
        if (r.District is { } named && !reference.IsDistrict(named))
        {
            errors.Add("district", Text.T("区划代码不在上海市 16 个区之列"));
            return existing?.DistrictCode;
        }

        if (!options.MultiDistrict)
        {
            return r.District ?? existing?.DistrictCode ?? options.District;
        }

        var cityWideRole = r.Role is Roles.Admin or Roles.CityViewer;
        if (db.District is { } mine)
        {
            if (r.Role == Roles.CityViewer)
            {
                errors.Add("role", Text.T("区管理员不能设立全市只读用户"));
            }
            else if (r.District is not null && r.District != mine)
            {
                errors.Add("district", Text.F("区管理员只能管理本区 ({0}) 的用户", mine));
            }

            return mine;
        }

        if (r.Role == Roles.CityViewer)
        {
            return null;
        }

        if (r.District is null && !cityWideRole)
        {
            errors.Add("district", Text.T("请指定该用户所属区"));
        }

        return r.District;
    }

    public static async Task<Errors> ValidateAsync(UserRequest r, User? existing, CrmDbContext db, CancellationToken ct)
    {
        var errors = new Errors();
        if (string.IsNullOrWhiteSpace(r.DisplayName))
        {
            errors.Add("displayName", Text.T("姓名必填"));
        }

        if (r.Role is null || !Roles.All.Contains(r.Role))
        {
            errors.Add("role", Text.F("角色应为：{0}", string.Join(", ", Roles.All)));
        }

        if (r.Email is { Length: > 0 } email && !email.Contains('@', StringComparison.Ordinal))
        {
            errors.Add("email", Text.T("邮箱格式无效"));
        }

        if (r.SupervisorId is { } sup)
        {
            if (sup == existing?.Id)
            {
                errors.Add("supervisorId", Text.T("不能以自己为上级"));
            }
            else if (!await UserDirectory.Visible(db).AnyAsync(u => u.Id == sup && u.IsActive && (u.Role == Roles.Supervisor || u.Role == Roles.Admin), ct))
            {
                errors.Add("supervisorId", Text.T("上级须为在职的科长或管理员"));
            }
        }

        if (r.Password is not null && (r.Password.Length < MinPasswordLength || !r.Password.Any(char.IsLetter) || !r.Password.Any(char.IsDigit)))
        {
            errors.Add("password", Text.F("密码至少{0}位，且须同时包含字母和数字", MinPasswordLength));
        }

        return errors;
    }

    /// <summary>Whether another active admin remains, so the last one is neither demoted nor deactivated.</summary>
    public static Task<bool> AnotherAdminAsync(CrmDbContext db, long id, CancellationToken ct) =>
        db.Users.AnyAsync(u => u.Id != id && u.Role == Roles.Admin && u.IsActive, ct);

    /// <summary>Saves a user edit: null when saved; a stale version is a conflict carrying the user as they now stand.</summary>
    public static async Task<OutcomeFailure?> SaveOrConflictAsync(CrmDbContext db, User user, CancellationToken ct)
    {
        try
        {
            await db.SaveChangesAsync(ct);
            return null;
        }
        catch (DbUpdateConcurrencyException)
        {
            db.ChangeTracker.Clear();
            return Outcome.Conflict(Text.T("用户已被他人修改，请刷新后重试"), UserDto.From(await db.Users.AsNoTracking().FirstAsync(u => u.Id == user.Id, ct)));
        }
    }
}
