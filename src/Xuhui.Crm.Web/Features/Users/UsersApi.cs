using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Xuhui.Crm.Domain.Firms;
using Xuhui.Crm.Domain.Time;
using Xuhui.Crm.Domain.Users;
using Xuhui.Crm.Domain.Visits;
using Xuhui.Crm.Web.Data;
using Xuhui.Crm.Web.Features.Search;
using Xuhui.Crm.Web.Features.Reference;
using Microsoft.Extensions.Options;
using Xuhui.Crm.Web.Shared;

namespace Xuhui.Crm.Web.Features.Users;

/// <param name="District">The user's district (GB/T 2260 code); see <see cref="UsersApi.ResolveDistrict"/> for when it may be omitted.</param>
public sealed record UserRequest(int? Version, string? UserName, string? DisplayName, string? Email, string? Role, long? SupervisorId, string? Password, string? District = null);

public sealed record DeactivateRequest(long? HandOverTo);

/// <param name="District">Null for a city-wide user (city admin, city viewer).</param>
public sealed record UserDto(long Id, int Version, string UserName, string DisplayName, string? Email, string Role, long? SupervisorId, bool IsActive, DateTime CreatedAt, string? District = null)
{
    public static UserDto From(User u) => new(u.Id, u.Version, u.UserName, u.DisplayName, u.Email, u.Role, u.SupervisorId, u.IsActive, u.CreatedAt, u.DistrictCode);
}

/// <summary>What anyone logged in may know of a colleague (for pickers): no email.</summary>
public sealed record OfficerDto(long Id, string DisplayName, string Role, long? SupervisorId);

public sealed record HandOverSummary(int Firms, int CoOfficerFirms, int Cases, int Tasks, int Reports);

public static class UsersApi
{
    public const int MinPasswordLength = 10;

    public static RouteGroupBuilder MapUsersApi(this RouteGroupBuilder api)
    {
        api.MapGet("/officers", Officers).WithTags("Users");
        var group = api.MapGroup("/users").WithTags("Users").RequireAuthorization(Policies.Admin);
        group.MapGet("/", List);
        group.MapGet("/{id:long}", Get);
        group.MapPost("/", Create);
        group.MapPut("/{id:long}", Update);
        group.MapPost("/{id:long}/deactivate", Deactivate);
        group.MapPost("/{id:long}/reactivate", Reactivate);
        group.MapGet("/{id:long}/audit", UserAudit.Trail);
        return api;
    }

    public static async Task<Ok<List<OfficerDto>>> Officers(CrmDbContext db, CancellationToken ct) =>
        TypedResults.Ok(await UserDirectory.OfficersAsync(db, ct));

    public static async Task<Ok<List<UserDto>>> List(CrmDbContext db, CancellationToken ct) =>
        TypedResults.Ok((await UserDirectory.Visible(db).AsNoTracking().OrderBy(u => u.Id).ToListAsync(ct)).Select(UserDto.From).ToList());

    public static async Task<Results<Ok<UserDto>, ProblemHttpResult>> Get(long id, CrmDbContext db, CancellationToken ct) =>
        await UserDirectory.Visible(db).AsNoTracking().FirstOrDefaultAsync(u => u.Id == id, ct) is { } u
            ? TypedResults.Ok(UserDto.From(u))
            : Problems.NotFound($"用户 {id} 不存在 (user not found)");

    public static async Task<Results<Created<UserDto>, ValidationProblem>> Create(
        UserRequest request, CrmDbContext db, IPasswordHasher<User> hasher, ReferenceData reference, IOptions<CrmOptions> options, CancellationToken ct)
    {
        var errors = await ValidateAsync(request, null, db, ct);
        var district = ResolveDistrict(request, null, db, reference, options.Value, errors);
        if (string.IsNullOrWhiteSpace(request.UserName))
        {
            errors.Add("userName", "用户名必填 (required)");
        }
        else if (await db.Users.AnyAsync(u => u.UserName == request.UserName.Trim(), ct))
        {
            errors.Add("userName", "用户名已存在 (already taken)");
        }

        if (request.Password is null)
        {
            errors.Add("password", "初始密码必填 (required)");
        }

        if (errors.Any)
        {
            return errors.ToProblem();
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
        user.PasswordHash = hasher.HashPassword(user, request.Password!);
        // The audit row needs the new id: both saves commit together or not at all.
        await using (var tx = await db.Database.BeginTransactionAsync(ct))
        {
            db.Users.Add(user);
            await db.SaveChangesAsync(ct);
            UserAudit.Record(db, user, "created", null, passwordChanged: true);
            await db.SaveChangesAsync(ct);
            await tx.CommitAsync(ct);
        }

        return TypedResults.Created($"/api/users/{user.Id}", UserDto.From(user));
    }

    public static async Task<Results<Ok<UserDto>, ValidationProblem, ProblemHttpResult>> Update(
        long id, UserRequest request, CrmDbContext db, IPasswordHasher<User> hasher, ReferenceData reference, IOptions<CrmOptions> options, CancellationToken ct)
    {
        var user = await UserDirectory.Visible(db).FirstOrDefaultAsync(u => u.Id == id, ct);
        if (user is null)
        {
            return Problems.NotFound($"用户 {id} 不存在 (user not found)");
        }

        if (request.Version is null)
        {
            return Problems.Field("version", Problems.VersionRequired);
        }

        if (request.Version != user.Version)
        {
            return Problems.Conflict($"用户已被修改：提交的版本为 {request.Version}，当前版本为 {user.Version}", UserDto.From(user));
        }

        var errors = await ValidateAsync(request, user, db, ct);
        var district = ResolveDistrict(request, user, db, reference, options.Value, errors);
        if (request.UserName is not null && request.UserName.Trim() != user.UserName)
        {
            errors.Add("userName", "用户名不可修改 (user names do not change)");
        }

        if (user.Role == Roles.Admin && request.Role != Roles.Admin
            && !await db.Users.AnyAsync(u => u.Id != id && u.Role == Roles.Admin && u.IsActive, ct))
        {
            errors.Add("role", "不能移除最后一位管理员 (the last admin)");
        }

        if (errors.Any)
        {
            return errors.ToProblem();
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
            user.PasswordHash = hasher.HashPassword(user, request.Password);
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

        return await SaveOrConflictAsync(db, user, ct) is { } conflict ? conflict : TypedResults.Ok(UserDto.From(user));
    }

    /// <summary>Deactivation names who takes over: lead firms, co-officer seats, open cases and open tasks move to them in one transaction.</summary>
    public static async Task<Results<Ok<HandOverSummary>, ValidationProblem, ProblemHttpResult>> Deactivate(
        long id, DeactivateRequest request, ClaimsPrincipal principal, CrmDbContext db, TimeProvider clock, CancellationToken ct)
    {
        var user = await UserDirectory.Visible(db).FirstOrDefaultAsync(u => u.Id == id, ct);
        if (user is null)
        {
            return Problems.NotFound($"用户 {id} 不存在 (user not found)");
        }

        if (!user.IsActive)
        {
            return Problems.Conflict("该用户已停用 (already deactivated)", UserDto.From(user));
        }

        if (id == principal.UserId())
        {
            return Problems.Field("id", "不能停用自己 (you cannot deactivate yourself)");
        }

        if (user.Role == Roles.Admin && !await db.Users.AnyAsync(u => u.Id != id && u.Role == Roles.Admin && u.IsActive, ct))
        {
            return Problems.Field("id", "不能停用最后一位管理员 (the last admin)");
        }

        if (request.HandOverTo is null)
        {
            return Problems.Field("handOverTo", "停用用户须指定接手其企业、案件和待办的人员 (name who takes over)");
        }

        // The successor takes over the user's firms: someone the caller sees, and of the user's own district (or city-wide).
        var successor = await UserDirectory.Assignable(db, user.DistrictCode).FirstOrDefaultAsync(u => u.Id == request.HandOverTo, ct);
        if (successor is null || successor.Id == id)
        {
            return Problems.Field("handOverTo", "接手人须为本区其他在职的专员、科长或管理员 (an active officer, supervisor or admin of the user's district)");
        }

        var before = UserAudit.Snapshot.Of(user);

        var today = ShanghaiTime.Today(clock);
        var firms = await db.Firms.Include(f => f.CoOfficers).Where(f => f.LeadOfficerId == id || f.CoOfficers.Any(o => o.UserId == id)).ToListAsync(ct);
        int led = 0, co = 0;
        foreach (var firm in firms)
        {
            if (firm.LeadOfficerId == id)
            {
                firm.LeadOfficerId = successor.Id;
                firm.AssignedOn = today;
                firm.CoOfficers.RemoveAll(o => o.UserId == successor.Id);
                led++;
            }

            if (firm.CoOfficers.RemoveAll(o => o.UserId == id) > 0)
            {
                co++;
                if (firm.LeadOfficerId != successor.Id && firm.CoOfficers.All(o => o.UserId != successor.Id))
                {
                    firm.CoOfficers.Add(new FirmOfficer { FirmId = firm.Id, UserId = successor.Id });
                }

                db.RecordChange(firm.Id, nameof(Firm), firm.Id, "CoOfficerIds", id.ToString(System.Globalization.CultureInfo.InvariantCulture), successor.Id.ToString(System.Globalization.CultureInfo.InvariantCulture));
            }
        }

        var cases = await db.Cases.Where(c => c.OwnerId == id && c.IsOpen).ToListAsync(ct);
        cases.ForEach(c => c.OwnerId = successor.Id);
        var tasks = await db.Tasks.Where(t => t.AssigneeId == id && t.Status == FollowUpStatus.Open).ToListAsync(ct);
        tasks.ForEach(t => t.AssigneeId = successor.Id);
        var reports = await db.Users.Where(u => u.SupervisorId == id).ToListAsync(ct);
        var successorSupervises = successor.Role is Roles.Supervisor or Roles.Admin;
        reports.ForEach(u => u.SupervisorId = successorSupervises ? successor.Id : null);
        user.IsActive = false;
        user.SecurityStamp = Guid.NewGuid().ToString("N");
        var summary = new HandOverSummary(led, co, cases.Count, tasks.Count, reports.Count);
        UserAudit.Record(db, user, "deactivated", before, passwordChanged: false,
            new Domain.Auditing.AuditChange("HandOverTo", null, CrmDbContext.Format(successor.Id)),
            new Domain.Auditing.AuditChange("HandedOver", null, $"firms={led}, coOfficerFirms={co}, cases={cases.Count}, tasks={tasks.Count}, reports={reports.Count}"));
        await db.SaveChangesAsync(ct);
        return TypedResults.Ok(summary);
    }

    /// <summary>Saves a user edit: null when saved; a stale version is a 409 carrying the user as they now stand.</summary>
    private static async Task<ProblemHttpResult?> SaveOrConflictAsync(CrmDbContext db, User user, CancellationToken ct)
    {
        try
        {
            await db.SaveChangesAsync(ct);
            return null;
        }
        catch (DbUpdateConcurrencyException)
        {
            db.ChangeTracker.Clear();
            return Problems.Conflict("用户已被他人修改，请刷新后重试", UserDto.From(await db.Users.AsNoTracking().FirstAsync(u => u.Id == user.Id, ct)));
        }
    }

    /// <summary>Brings a deactivated user back (with no firms: the hand-over stays); their old sessions stay revoked.</summary>
    public static async Task<Results<Ok<UserDto>, ProblemHttpResult>> Reactivate(long id, CrmDbContext db, CancellationToken ct)
    {
        var user = await UserDirectory.Visible(db).FirstOrDefaultAsync(u => u.Id == id, ct);
        if (user is null)
        {
            return Problems.NotFound($"用户 {id} 不存在 (user not found)");
        }

        if (user.IsActive)
        {
            return Problems.Conflict("该用户未停用 (not deactivated)", UserDto.From(user));
        }

        var before = UserAudit.Snapshot.Of(user);
        user.IsActive = true;
        user.FailedLogins = 0;
        user.LockedUntil = null;
        UserAudit.Record(db, user, "reactivated", before, passwordChanged: false);
        return await SaveOrConflictAsync(db, user, ct) is { } conflict ? conflict : TypedResults.Ok(UserDto.From(user));
    }

    /// <summary>
    /// One district: every user is in the deployment's district unless named. Several: a district admin's users are in
    /// the admin's district; a city admin names it, except for city viewers and city admins (no district: they see all).
    /// </summary>
    public static string? ResolveDistrict(UserRequest r, User? existing, CrmDbContext db, ReferenceData reference, CrmOptions options, Errors errors)
    {
        if (r.District is { } named && !reference.IsDistrict(named))
        {
            errors.Add("district", "区划代码不在上海市 16 个区之列 (not one of Shanghai's districts)");
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
                errors.Add("role", "区管理员不能设立全市只读用户 (only a city admin creates city viewers)");
            }
            else if (r.District is not null && r.District != mine)
            {
                errors.Add("district", $"区管理员只能管理本区 ({mine}) 的用户 (your own district only)");
            }

            return mine;
        }

        if (r.Role == Roles.CityViewer)
        {
            return null;
        }

        if (r.District is null && !cityWideRole)
        {
            errors.Add("district", "请指定该用户所属区 (a district is required for this role)");
        }

        return r.District;
    }

    private static async Task<Errors> ValidateAsync(UserRequest r, User? existing, CrmDbContext db, CancellationToken ct)
    {
        var errors = new Errors();
        if (string.IsNullOrWhiteSpace(r.DisplayName))
        {
            errors.Add("displayName", "姓名必填 (required)");
        }

        if (r.Role is null || !Roles.All.Contains(r.Role))
        {
            errors.Add("role", $"角色应为 (one of): {string.Join(", ", Roles.All)}");
        }

        if (r.Email is { Length: > 0 } email && !email.Contains('@', StringComparison.Ordinal))
        {
            errors.Add("email", "邮箱格式无效 (invalid email)");
        }

        if (r.SupervisorId is { } sup)
        {
            if (sup == existing?.Id)
            {
                errors.Add("supervisorId", "不能以自己为上级");
            }
            else if (!await UserDirectory.Visible(db).AnyAsync(u => u.Id == sup && u.IsActive && (u.Role == Roles.Supervisor || u.Role == Roles.Admin), ct))
            {
                errors.Add("supervisorId", "上级须为在职的科长或管理员 (an active supervisor)");
            }
        }

        if (r.Password is not null && (r.Password.Length < MinPasswordLength || !r.Password.Any(char.IsLetter) || !r.Password.Any(char.IsDigit)))
        {
            errors.Add("password", $"密码至少{MinPasswordLength}位，且须同时包含字母和数字 (at least {MinPasswordLength} characters with letters and digits)");
        }

        return errors;
    }
}
