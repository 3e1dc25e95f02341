using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Xuhui.Crm.Web.Data;
using Xuhui.Crm.Web.Features.Search;
using Xuhui.Crm.Web.Shared;

namespace Xuhui.Crm.Web.Features.Calendar;

public sealed record CalendarDayDto(DateOnly Date, CalendarDayKind Kind, string Name);

public sealed record CalendarYear(int Year, int WorkingDays, List<CalendarDayDto> Exceptions);

public sealed record WorkingDayAnswer(DateOnly Date, bool IsWorkingDay, CalendarDayKind? Kind, string? Name);

[WritesTo(typeof(CalendarDay))]
public sealed record CalendarDayRequest(CalendarDayKind? Kind, string? Name);

public static class CalendarApi
{
    public static RouteGroupBuilder MapCalendarApi(this RouteGroupBuilder api)
    {
        api.MapGet("/calendar", Year).WithTags("Calendar");
        api.MapGet("/calendar/{date}", Day).WithTags("Calendar");
        var admin = api.MapGroup("/admin/calendar").WithTags("Calendar").RequireAuthorization(Policies.Operator);
        admin.MapPut("/{date}", Put);
        admin.MapDelete("/{date}", Delete);
        return api;
    }

    public static async Task<Results<Ok<CalendarYear>, ValidationProblem>> Year(int? year, CrmDbContext db, TimeProvider clock, CancellationToken ct)
    {
        var y = year ?? Domain.Time.ShanghaiTime.Today(clock).Year;
        if (y is < 2000 or > 2100)
        {
            return Problems.Field("year", "年份无效 (invalid year)");
        }

        var start = new DateOnly(y, 1, 1);
        var end = new DateOnly(y, 12, 31);
        var days = await db.CalendarDays.AsNoTracking().Where(d => d.Date >= start && d.Date <= end).OrderBy(d => d.Date)
            .Select(d => new CalendarDayDto(d.Date, d.Kind, d.Name)).ToListAsync(ct);
        var byDate = days.ToDictionary(d => d.Date, d => d.Kind);
        var working = 0;
        for (var d = start; d <= end; d = d.AddDays(1))
        {
            working += WorkingDayCalendar.IsWorkingDay(d, byDate.TryGetValue(d, out var k) ? k : null) ? 1 : 0;
        }

        return TypedResults.Ok(new CalendarYear(y, working, days));
    }

    public static async Task<Ok<WorkingDayAnswer>> Day(DateOnly date, CrmDbContext db, CancellationToken ct)
    {
        var day = await db.CalendarDays.AsNoTracking().FirstOrDefaultAsync(d => d.Date == date, ct);
        return TypedResults.Ok(new WorkingDayAnswer(date, WorkingDayCalendar.IsWorkingDay(date, day?.Kind), day?.Kind, day?.Name));
    }

    public static async Task<Results<Ok<CalendarDayDto>, ValidationProblem>> Put(DateOnly date, CalendarDayRequest request, CrmDbContext db, CancellationToken ct)
    {
        var errors = new Errors();
        if (request.Kind is null)
        {
            errors.Add("kind", $"必填，取值为 {Json.Allowed<CalendarDayKind>()}");
        }

        if (string.IsNullOrWhiteSpace(request.Name) || request.Name.Length > 100)
        {
            errors.Add("name", "必填，不超过 100 字 (required, at most 100 characters)");
        }

        if (errors.Any)
        {
            return errors.ToProblem();
        }

        var day = await db.CalendarDays.FirstOrDefaultAsync(d => d.Date == date, ct);
        if (day is null)
        {
            db.CalendarDays.Add(day = new CalendarDay { Date = date });
        }

        day.Kind = request.Kind!.Value;
        day.Name = request.Name!.Trim();
        await db.SaveChangesAsync(ct);
        return TypedResults.Ok(new CalendarDayDto(day.Date, day.Kind, day.Name));
    }

    public static async Task<Results<NoContent, ProblemHttpResult>> Delete(DateOnly date, CrmDbContext db, CancellationToken ct)
    {
        var deleted = await db.CalendarDays.Where(d => d.Date == date).ExecuteDeleteAsync(ct);
        return deleted == 0 ? Problems.NotFound($"{date:yyyy-MM-dd} 没有例外设置 (no exception on that date)") : TypedResults.NoContent();
    }
}
