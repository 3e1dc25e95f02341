using Xuhui.Crm.Web.Data;
using Xuhui.Crm.Web.Shared;

namespace Xuhui.Crm.Web.Features.Calendar;

public sealed record CalendarDayDto(DateOnly Date, CalendarDayKind Kind, string Name)
{
    public static CalendarDayDto From(CalendarDay d) => new(d.Date, d.Kind, d.Name);
}

public sealed record CalendarYear(int Year, int WorkingDays, List<CalendarDayDto> Exceptions);

public sealed record WorkingDayAnswer(DateOnly Date, bool IsWorkingDay, CalendarDayKind? Kind, string? Name);

[WritesTo(typeof(CalendarDay))]
public sealed record CalendarDayRequest(CalendarDayKind? Kind, string? Name);

/// <summary>What the calendar use cases and queries need, bound as one <c>[AsParameters]</c> record by the API.</summary>
public sealed record CalendarServices(CrmDbContext Db, TimeProvider Clock);
