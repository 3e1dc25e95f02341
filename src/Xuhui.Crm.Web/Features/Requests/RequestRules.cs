using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using Xuhui.Crm.Domain.Requests;
using Xuhui.Crm.Domain.Users;
using Xuhui.Crm.Web.Data;
using Xuhui.Crm.Web.Features.Calendar;
using Xuhui.Crm.Web.Features.Reference;
using Xuhui.Crm.Web.Shared;
using Xuhui.Crm.Web.Shared.Localisation;
using Xuhui.Crm.Web.Shared.Firms;
using Xuhui.Crm.Domain.Time;

namespace Xuhui.Crm.Web.Features.Requests;

/// <summary>Validation, deadlines, creation and saving shared by the request use cases and the visit form.</summary>
public static class RequestRules
{
    public static readonly RequestStatus[] OpenStatuses = [RequestStatus.Open, RequestStatus.InProgress, RequestStatus.WaitingOtherDepartment];

    public static string RequestNotFound(long id) => Text.F("诉求 {0} 不存在", id);

    public static string Stale(int submitted, int current) => Text.F("诉求已被修改：提交的版本为 {0}，当前版本为 {1}", submitted, current);

    /// <summary>Closing has its own use case (it needs a resolution), so no edit may set a closed status.</summary>
    public static string UseClose => Text.T("办结请使用 POST /api/requests/{id}/close");

    /// <summary>The category's default deadline, counted in working days on the admin-kept calendar.</summary>
    public static async Task<DateOnly> DefaultDeadlineAsync(CrmDbContext db, DateOnly raisedOn, int workingDays, CancellationToken ct)
    {
        var until = raisedOn.AddDays((workingDays * 2) + 60);
        var exceptions = await db.CalendarDays.AsNoTracking().Where(d => d.Date > raisedOn && d.Date <= until)
            .ToDictionaryAsync(d => d.Date, d => d.Kind, ct);
        return WorkingDays.Add(raisedOn, workingDays, d => WorkingDayCalendar.IsWorkingDay(d, exceptions.TryGetValue(d, out var k) ? k : null));
    }

    public static async Task ValidateAsync(
        Errors errors, string prefix, string? category, string? description, string? department, long? ownerId,
        long? firmId, CrmDbContext db, ReferenceData reference, CancellationToken ct)
    {
        if (reference.RequestCategory(category) is null)
        {
            errors.Add(prefix + "category", Text.F("诉求类别应为：{0}", string.Join(", ", (reference.File.RequestCategories ?? []).Select(c => c.Code))));
        }

        if (string.IsNullOrWhiteSpace(description))
        {
            errors.Add(prefix + "description", Text.T("诉求内容必填"));
        }
        else if (description.Length > 2000)
        {
            errors.Add(prefix + "description", Text.T("不超过2000字"));
        }

        if (department is not null && !reference.IsDepartment(department))
        {
            errors.Add(prefix + "department", Text.F("责任部门应为：{0}", string.Join(", ", (reference.File.Departments ?? []).Select(d => d.Code))));
        }

        var assignable = firmId is { } id ? Users.UserDirectory.Assignable(db, id) : Users.UserDirectory.Assignable(db, (string?)null);
        if (ownerId is { } owner && !await assignable.AnyAsync(u => u.Id == owner, ct))
        {
            errors.Add(prefix + "ownerId", Text.F("用户 {0} 不存在、已停用或无权承办", owner));
        }
    }

    public static async Task<FirmRequest> NewAsync(
        CrmDbContext db, ReferenceData reference, long firmId, long? visitId, RequestChannel channel, string category, string description,
        string? department, long ownerId, DateOnly raisedOn, DateOnly? deadline, long createdBy, CancellationToken ct) => new()
        {
            FirmId = firmId,
            VisitId = visitId,
            Channel = channel,
            Category = category,
            Description = description.Trim(),
            Department = department,
            OwnerId = ownerId,
            RaisedOn = raisedOn,
            Deadline = deadline ?? await DefaultDeadlineAsync(db, raisedOn, reference.RequestCategory(category)!.DeadlineWorkingDays, ct),
            Status = RequestStatus.Open,
            CreatedById = createdBy,
        };

    /// <summary>The owner, the firm's officers, supervisors and admins work a request.</summary>
    public static async Task<bool> CanEditAsync(CrmDbContext db, ClaimsPrincipal user, FirmRequest r, CancellationToken ct) =>
        user.IsManager() || (user.CanWrite() && (r.OwnerId == user.UserId() || await FirmAccess.CanEditAsync(db, user, r.FirmId, ct)));

    /// <summary>
    /// The tracked request with its progress and firm name, or why the caller may not work it: not found, forbidden, a
    /// missing version where <paramref name="versionRequired"/>, or a conflict with the stored request when the submitted
    /// <paramref name="version"/> is stale. A submitted version also guards the save.
    /// </summary>
    public static async Task<(FirmRequest? Request, string? FirmName, OutcomeFailure? Refused)> LoadForEditAsync(
        RequestServices s, ClaimsPrincipal user, long id, int? version, bool versionRequired, CancellationToken ct)
    {
        var db = s.Db;
        var r = await db.Requests.Include(x => x.Progress).FirstOrDefaultAsync(x => x.Id == id, ct);
        if (r is null)
        {
            return (null, null, Outcome.NotFound(RequestNotFound(id)));
        }

        if (!await CanEditAsync(db, user, r, ct))
        {
            return (r, null, Outcome.Forbidden(Text.T("只有承办人、企业专员、科长或管理员可以处理该诉求")));
        }

        var firmName = await db.Firms.Where(f => f.Id == r.FirmId).Select(f => f.Name).FirstAsync(ct);
        if (version is not { } submitted)
        {
            return (r, firmName, versionRequired ? Outcome.Invalid("version", Problems.VersionRequired) : null);
        }

        if (submitted != r.Version)
        {
            return (r, firmName, Outcome.Conflict(Stale(submitted, r.Version), RequestDto.From(r, firmName, ShanghaiTime.Today(s.Clock), true)));
        }

        db.Entry(r).Property(x => x.Version).OriginalValue = submitted;
        return (r, firmName, null);
    }

    /// <summary>Saves a worked request; a concurrent edit answers 409 with the stored request.</summary>
    public static async Task<Outcome<RequestDto>> SaveAsync(CrmDbContext db, FirmRequest r, string? firmName, DateOnly today, CancellationToken ct)
    {
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateConcurrencyException)
        {
            db.ChangeTracker.Clear();
            var current = await db.Requests.AsNoTracking().Include(x => x.Progress).FirstAsync(x => x.Id == r.Id, ct);
            return Outcome.Conflict(Text.T("诉求已被他人修改，请刷新后重试"), RequestDto.From(current, firmName, today, true));
        }

        return Outcome.Ok(RequestDto.From(r, firmName, today, true));
    }
}
