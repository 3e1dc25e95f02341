using Microsoft.Extensions.Options;
using Xuhui.Crm.Domain.Visits;
using Xuhui.Crm.Web.Data;
using Xuhui.Crm.Web.Features.Reference;
using Xuhui.Crm.Web.Shared;

namespace Xuhui.Crm.Web.Features.Visits;

/// <summary>A firm request (诉求) raised at the visit, tracked to closure in the request ledger.</summary>
[WritesTo(typeof(Domain.Requests.FirmRequest))]
public sealed record RaisedRequest(string? Category, string? Description, string? Department, long? OwnerId, DateOnly? Deadline);

[WritesTo(typeof(FollowUpTask))]
public sealed record FollowUpRequest(string? Title, DateOnly? DueOn, long? AssigneeId, long? CaseId, string? Kind);

/// <summary>One form for a visit: what happened, who was there, what the firm asked for, and the follow-ups it creates.</summary>
[WritesTo(typeof(Visit))]
public sealed record VisitRequest(
    int? Version,
    long? FirmId,
    VisitStatus? Status,
    VisitKind? Kind,
    DateOnly? On,
    DateTime? StartsAt,
    [property: NumberRange(0, 24 * 60, "时长应为 0–1440 分钟")] int? DurationMinutes,
    string? Location,
    List<long>? OfficerIds,
    List<long>? ContactIds,
    string? Summary,
    string? Requests,
    List<FollowUpRequest>? FollowUps,
    List<RaisedRequest>? RaisedRequests = null);

public sealed record VisitDto(
    long Id,
    int Version,
    long FirmId,
    string? FirmName,
    VisitStatus Status,
    VisitKind Kind,
    DateOnly On,
    DateTime? StartsAt,
    int? DurationMinutes,
    string? Location,
    List<long> OfficerIds,
    List<long> ContactIds,
    string? Summary,
    string? Requests,
    long CreatedById,
    DateTime CreatedAt,
    List<Tasks.TaskDto>? FollowUps)
{
    public List<Requests.RequestDto>? RaisedRequests { get; init; }

    public static VisitDto From(Visit v, string? firmName, List<Tasks.TaskDto>? followUps = null) => new(
        v.Id,
        v.Version,
        v.FirmId,
        firmName,
        v.Status,
        v.Kind,
        v.On,
        v.StartsAt,
        v.DurationMinutes,
        v.Location,
        v.Officers.Select(o => o.UserId).Order().ToList(),
        v.Contacts.Select(c => c.ContactId).Order().ToList(),
        v.Summary,
        v.Requests,
        v.CreatedById,
        v.CreatedAt,
        followUps);
}

public sealed record VisitPage(List<VisitDto> Items, int Total, int Page, int PageSize);

/// <summary>What the visit handlers need, bound by the API as one <c>[AsParameters]</c> record.</summary>
public sealed record VisitServices(CrmDbContext Db, ReferenceData Reference, TimeProvider Clock, IOptions<CrmOptions> Options);
