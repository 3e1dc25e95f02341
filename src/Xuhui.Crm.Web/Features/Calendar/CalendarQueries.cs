using Microsoft.EntityFrameworkCore;
using Xuhui.Crm.Domain.Time;
using Xuhui.Crm.Web.Shared;
using Xuhui.Crm.Web.Shared.Localisation;

namespace Xuhui.Crm.Web.Features.Calendar;

/// <summary>The calendar reads: a year's exceptions with its working-day count, and one day's answer.</summary>
public static class CalendarQueries
{
    /// <summary>The year <paramref name="year"/> (null: this year in Shanghai).</summary>
    public static async Task<Outcome<CalendarYear>> YearAsync(int? year, CalendarServices s, CancellationToken ct)
    {
        var y = year ?? ShanghaiTime.Today(s.Clock).Year;
        if (y is < 2000 or > 2100)
        {
            return Outcome.Invalid("year", Text.T("年份无效"));
        }

        var start = new DateOnly(y, 1, 1);
        var end = new DateOnly(y, 12, 31);
        var days = await s.Db.CalendarDays.AsNoTracking().Where(d => d.Date >= start && d.Date <= end).OrderBy(d => d.Date)
            .Select(d => new CalendarDayDto(d.Date, d.Kind, d.Name)).ToListAsync(ct);
        var byDate = days.ToDictionary(d => d.Date, d => d.Kind);
        var working = 0;
        for (var d = start; d <= end; d = d.AddDays(1))
        {
            working += WorkingDayCalendar.IsWorkingDay(d, byDate.TryGetValue(d, out var k) ? k : null) ? 1 : 0;
        }

        return Outcome.Ok(new CalendarYear(y, working, days));
    }

    public static async Task<WorkingDayAnswer> DayAsync(DateOnly date, CalendarServices s, CancellationToken ct)
    {
        var day = await s.Db.CalendarDays.AsNoTracking().FirstOrDefaultAsync(d => d.Date == date, ct);
        return new WorkingDayAnswer(date, WorkingDayCalendar.IsWorkingDay(date, day?.Kind), day?.Kind, day?.Name);
    }
}
