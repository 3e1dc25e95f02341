using Microsoft.EntityFrameworkCore;
using Xuhui.Crm.Web.Shared;
using Xuhui.Crm.Web.Shared.Localisation;

namespace Xuhui.Crm.Web.Features.Calendar;

/// <summary>Removes a date's exception, so the date follows Monday–Friday again.</summary>
public static class ClearCalendarDay
{
    public sealed record Command(DateOnly Date);

    public static async Task<Outcome<DateOnly>> HandleAsync(Command command, CalendarServices s, CancellationToken ct)
    {
        var date = command.Date;
        var deleted = await s.Db.CalendarDays.Where(d => d.Date == date).ExecuteDeleteAsync(ct);
        return deleted == 0 ? Outcome.NotFound(Text.F("{0:yyyy-MM-dd} 没有例外设置", date)) : Outcome.Ok(date);
    }
}
