using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using Xuhui.Crm.Domain.Requests;
using Xuhui.Crm.Domain.Users;
using Xuhui.Crm.Web.Data;
using Xuhui.Crm.Web.Features.Search;
using Xuhui.Crm.Web.Features.Calendar;
using Xuhui.Crm.Web.Features.Firms;
using Xuhui.Crm.Web.Features.Contacts;
using Xuhui.Crm.Web.Features.Reference;
using Xuhui.Crm.Web.Shared;

namespace Xuhui.Crm.Web.Features.Requests;

/// <summary>Validation, deadlines and creation shared by the requests API and the visit form.</summary>
public static class RequestRules
{
    public static readonly RequestStatus[] OpenStatuses = [RequestStatus.Open, RequestStatus.InProgress, RequestStatus.WaitingOtherDepartment];

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
            errors.Add(prefix + "category", $"诉求类别应为 (one of): {string.Join(", ", (reference.File.RequestCategories ?? []).Select(c => c.Code))}");
        }

        if (string.IsNullOrWhiteSpace(description))
        {
            errors.Add(prefix + "description", "诉求内容必填 (required)");
        }
        else if (description.Length > 2000)
        {
            errors.Add(prefix + "description", "不超过2000字");
        }

        if (department is not null && !reference.IsDepartment(department))
        {
            errors.Add(prefix + "department", $"责任部门应为 (one of): {string.Join(", ", (reference.File.Departments ?? []).Select(d => d.Code))}");
        }

        if (ownerId is { } owner && !await Assignable(db, firmId).AnyAsync(u => u.Id == owner, ct))
        {
            errors.Add(prefix + "ownerId", $"用户 {owner} 不存在、已停用或无权承办");
        }
    }

    private static IQueryable<Domain.Users.User> Assignable(CrmDbContext db, long? firmId) =>
        firmId is { } id ? Users.UserDirectory.Assignable(db, id) : Users.UserDirectory.Assignable(db, (string?)null);

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
}
