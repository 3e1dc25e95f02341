using Xuhui.Crm.Domain.Firms;

namespace Xuhui.Crm.Domain.Requests;

public enum RequestChannel
{
    Visit,
    Phone,
    Letter,
    Hotline12345,
    Other,
}

public enum RequestStatus
{
    Open,
    InProgress,
    WaitingOtherDepartment,
    Resolved,
    CannotResolve,
}

public enum Satisfaction
{
    Satisfied,
    Basically,
    Dissatisfied,
}

/// <summary>Something a firm asked for (企业诉求), owned by an officer and closed item by item (销号).</summary>
public sealed class FirmRequest : IVersioned, IAudited, Districts.IFirmOwned
{
    public long Id { get; set; }
    public int Version { get; set; }
    public long FirmId { get; set; }
    public long? VisitId { get; set; }
    public RequestChannel Channel { get; set; }
    public string Category { get; set; } = string.Empty;
    public string Description { get; set; } = string.Empty;

    /// <summary>The department responsible, inside or outside the commission.</summary>
    public string? Department { get; set; }

    public long OwnerId { get; set; }
    public DateOnly RaisedOn { get; set; }
    public DateOnly Deadline { get; set; }
    public RequestStatus Status { get; set; }
    public string? Resolution { get; set; }
    public DateOnly? ClosedOn { get; set; }
    public Satisfaction? Satisfaction { get; set; }
    public long CreatedById { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime UpdatedAt { get; set; }

    public List<RequestProgress> Progress { get; set; } = [];

    public bool IsClosed => Status is RequestStatus.Resolved or RequestStatus.CannotResolve;

    long IAudited.AuditFirmId => FirmId;
}

public sealed class RequestProgress
{
    public long Id { get; set; }
    public long RequestId { get; set; }
    public DateOnly On { get; set; }
    public string Note { get; set; } = string.Empty;
    public RequestStatus? StatusAfter { get; set; }
    public long ById { get; set; }
    public DateTime At { get; set; }
}

/// <summary>Working-day arithmetic over a calendar that knows holidays and make-up days.</summary>
public static class WorkingDays
{
    /// <summary>The date <paramref name="days"/> working days after <paramref name="start"/> (the start day itself not counted).</summary>
    public static DateOnly Add(DateOnly start, int days, Func<DateOnly, bool> isWorkingDay)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(days);
        var date = start;
        var counted = 0;
        while (counted < days)
        {
            date = date.AddDays(1);
            if (isWorkingDay(date))
            {
                counted++;
            }
        }

        return date;
    }
}
