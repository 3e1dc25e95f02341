using Xuhui.Crm.Web.Shared;

namespace Xuhui.Crm.Web.Features.Calendar;

public enum CalendarDayKind
{
    /// <summary>A public holiday (or a weekday given off in exchange, 调休): no digest.</summary>
    Holiday,

    /// <summary>A weekend day worked in exchange (调休上班): digest as on any working day.</summary>
    Workday,
}

/// <summary>An exception to Monday–Friday, kept by an admin from the State Council's yearly notice.</summary>
[UserContent]
public sealed class CalendarDay
{
    public DateOnly Date { get; set; }
    public CalendarDayKind Kind { get; set; }
    public string Name { get; set; } = string.Empty;
    public DateTime UpdatedAt { get; set; }
}
