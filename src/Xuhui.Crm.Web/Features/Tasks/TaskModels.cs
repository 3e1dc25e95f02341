using Xuhui.Crm.Domain.Visits;
using Xuhui.Crm.Web.Data;
using Xuhui.Crm.Web.Shared;

namespace Xuhui.Crm.Web.Features.Tasks;

[WritesTo(typeof(FollowUpTask))]
public sealed record TaskRequest(int? Version, long? FirmId, long? CaseId, long? AssigneeId, string? Title, string? Kind, DateOnly? DueOn);

[WritesTo(typeof(FollowUpTask))]
public sealed record CompleteTaskRequest(int? Version, DateOnly? CompletedOn, [property: WritesColumn(nameof(FollowUpTask.CompletionNote))] string? Note);

public sealed record TaskDto(
    long Id,
    int Version,
    long FirmId,
    long? CaseId,
    long? VisitId,
    long AssigneeId,
    string Title,
    string Kind,
    DateOnly DueOn,
    FollowUpStatus Status,
    DateOnly? CompletedOn,
    string? CompletionNote,
    long CreatedById,
    DateTime CreatedAt)
{
    public string? FirmName { get; init; }

    /// <summary>Days past due for an open task, as of today (Shanghai); 0 when not overdue.</summary>
    public int? DaysOverdue { get; init; }

    public static TaskDto From(FollowUpTask t) => new(
        t.Id, t.Version, t.FirmId, t.CaseId, t.VisitId, t.AssigneeId, t.Title, t.Kind, t.DueOn, t.Status, t.CompletedOn, t.CompletionNote, t.CreatedById, t.CreatedAt);

    public static TaskDto From(FollowUpTask t, string? firmName, DateOnly today) => From(t).AsOf(firmName, today);

    public TaskDto AsOf(string? firmName, DateOnly today) => this with
    {
        FirmName = firmName,
        DaysOverdue = Status == FollowUpStatus.Open && DueOn < today ? today.DayNumber - DueOn.DayNumber : 0,
    };
}

public sealed record TaskPage(List<TaskDto> Items, int Total, int Page, int PageSize);

/// <summary>What the task handlers need, bound by the API as one <c>[AsParameters]</c> record.</summary>
public sealed record TaskServices(CrmDbContext Db, TimeProvider Clock);
