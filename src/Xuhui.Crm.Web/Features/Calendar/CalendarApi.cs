using Microsoft.AspNetCore.Http.HttpResults;
using Xuhui.Crm.Web.Shared;

namespace Xuhui.Crm.Web.Features.Calendar;

/// <summary>The calendar routes: each maps its request to a use case or a query and the outcome to its typed results.</summary>
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

    public static async Task<Results<Ok<CalendarYear>, ValidationProblem>> Year(int? year, [AsParameters] CalendarServices s, CancellationToken ct)
    {
        var outcome = await CalendarQueries.YearAsync(year, s, ct);
        return outcome.IsOk ? TypedResults.Ok(outcome.Value) : outcome.Errors!.ToProblem();
    }

    public static async Task<Ok<WorkingDayAnswer>> Day(DateOnly date, [AsParameters] CalendarServices s, CancellationToken ct) =>
        TypedResults.Ok(await CalendarQueries.DayAsync(date, s, ct));

    public static async Task<Results<Ok<CalendarDayDto>, ValidationProblem>> Put(DateOnly date, CalendarDayRequest request, [AsParameters] CalendarServices s, CancellationToken ct)
    {
        var outcome = await SetCalendarDay.HandleAsync(new(date, request), s, ct);
        return outcome.IsOk ? TypedResults.Ok(outcome.Value) : outcome.Errors!.ToProblem();
    }

    public static async Task<Results<NoContent, ProblemHttpResult>> Delete(DateOnly date, [AsParameters] CalendarServices s, CancellationToken ct)
    {
        var outcome = await ClearCalendarDay.HandleAsync(new(date), s, ct);
        return outcome.IsOk ? TypedResults.NoContent() : (ProblemHttpResult)outcome.ToProblem();
    }
}
