using Xuhui.Crm.Domain.Requests;
using Xuhui.Crm.Web.Data;
using Xuhui.Crm.Web.Features.Reference;
using Xuhui.Crm.Web.Shared;

namespace Xuhui.Crm.Web.Features.Requests;

[WritesTo(typeof(FirmRequest))]
public sealed record RequestCreate(
    long? FirmId,
    long? VisitId,
    RequestChannel? Channel,
    string? Category,
    string? Description,
    string? Department,
    long? OwnerId,
    DateOnly? RaisedOn,
    DateOnly? Deadline);

/// <summary>PUT body: the editable members with the version read.</summary>
[WritesTo(typeof(FirmRequest))]
public sealed record RequestUpdate(int? Version, string? Category, string? Description, string? Department, long? OwnerId, DateOnly? Deadline, RequestStatus? Status);

[WritesTo(typeof(RequestProgress))]
public sealed record ProgressCreate(string? Note, RequestStatus? Status, DateOnly? On);

/// <param name="Outcome">resolved or cannot-resolve.</param>
[WritesTo(typeof(FirmRequest))]
public sealed record RequestClose(int? Version, RequestStatus? Outcome, string? Resolution, Satisfaction? Satisfaction, DateOnly? ClosedOn);

public sealed record ProgressDto(long Id, DateOnly On, string Note, RequestStatus? StatusAfter, long ById, DateTime At);

public sealed record RequestDto(
    long Id,
    int Version,
    long FirmId,
    string? FirmName,
    long? VisitId,
    RequestChannel Channel,
    string Category,
    string Description,
    string? Department,
    long OwnerId,
    DateOnly RaisedOn,
    DateOnly Deadline,
    RequestStatus Status,
    bool Overdue,
    int DaysOverdue,
    string? Resolution,
    DateOnly? ClosedOn,
    Satisfaction? Satisfaction,
    DateTime CreatedAt,
    List<ProgressDto>? Progress)
{
    public static RequestDto From(FirmRequest r, string? firmName, DateOnly today, bool withProgress)
    {
        var overdue = !r.IsClosed && r.Deadline < today;
        return new RequestDto(
            r.Id, r.Version, r.FirmId, firmName, r.VisitId, r.Channel, r.Category, r.Description, r.Department, r.OwnerId,
            r.RaisedOn, r.Deadline, r.Status, overdue, overdue ? today.DayNumber - r.Deadline.DayNumber : 0,
            r.Resolution, r.ClosedOn, r.Satisfaction, r.CreatedAt,
            withProgress ? r.Progress.OrderBy(p => p.On).ThenBy(p => p.Id).Select(p => new ProgressDto(p.Id, p.On, p.Note, p.StatusAfter, p.ById, p.At)).ToList() : null);
    }
}

public sealed record RequestPage(List<RequestDto> Items, int Total, int Page, int PageSize);

/// <summary>What the request handlers need, bound by the API as one <c>[AsParameters]</c> record.</summary>
public sealed record RequestServices(CrmDbContext Db, ReferenceData Reference, TimeProvider Clock);
