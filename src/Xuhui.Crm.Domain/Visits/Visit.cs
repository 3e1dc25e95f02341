using Xuhui.Crm.Domain.Firms;

namespace Xuhui.Crm.Domain.Visits;

public enum VisitStatus
{
    Planned,
    Done,
    Cancelled,
}

public enum VisitKind
{
    OnSite,
    Phone,
    Meeting,
    Event,
}

public sealed class Visit : IVersioned, IAudited, Districts.IFirmOwned
{
    public long Id { get; set; }
    public int Version { get; set; }
    public long FirmId { get; set; }
    public VisitStatus Status { get; set; }
    public VisitKind Kind { get; set; }

    /// <summary>Business date of the visit (Shanghai).</summary>
    public DateOnly On { get; set; }

    /// <summary>Start instant (UTC) of a planned visit, for calendar invites.</summary>
    public DateTime? StartsAt { get; set; }
    public int? DurationMinutes { get; set; }
    public string? Location { get; set; }
    public string? Summary { get; set; }

    /// <summary>What the firm asked for (诉求), as logged at the visit.</summary>
    public string? Requests { get; set; }

    public long CreatedById { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime UpdatedAt { get; set; }

    public List<VisitOfficer> Officers { get; set; } = [];
    public List<VisitContact> Contacts { get; set; } = [];

    long IAudited.AuditFirmId => FirmId;
}

public sealed class VisitOfficer
{
    public long VisitId { get; set; }
    public long UserId { get; set; }
}

public sealed class VisitContact
{
    public long VisitId { get; set; }
    public long ContactId { get; set; }
}

public enum FollowUpStatus
{
    Open,
    Done,
    Cancelled,
}

public sealed class FollowUpTask : IVersioned, IAudited, Districts.IFirmOwned
{
    public long Id { get; set; }
    public int Version { get; set; }
    public long FirmId { get; set; }
    public long? CaseId { get; set; }
    public long? VisitId { get; set; }
    public long AssigneeId { get; set; }
    public string Title { get; set; } = string.Empty;
    public string Kind { get; set; } = "follow-up";
    public DateOnly DueOn { get; set; }
    public FollowUpStatus Status { get; set; }
    public DateOnly? CompletedOn { get; set; }
    public string? CompletionNote { get; set; }
    public long CreatedById { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime UpdatedAt { get; set; }

    long IAudited.AuditFirmId => FirmId;
}
