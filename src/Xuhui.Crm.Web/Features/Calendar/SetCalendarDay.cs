using Microsoft.EntityFrameworkCore;
using Xuhui.Crm.Web.Shared;
using Xuhui.Crm.Web.Shared.Localisation;

namespace Xuhui.Crm.Web.Features.Calendar;

/// <summary>Marks a date as a holiday or a make-up working day (replacing any exception already on it).</summary>
public static class SetCalendarDay
{
    public sealed record Command(DateOnly Date, CalendarDayRequest Request);

    public static async Task<Outcome<CalendarDayDto>> HandleAsync(Command command, CalendarServices s, CancellationToken ct)
    {
        var (date, request) = command;
        var errors = new Errors();
        if (request.Kind is null)
        {
            errors.Add("kind", Text.F("必填，取值为 {0}", Json.Allowed<CalendarDayKind>()));
        }

        if (string.IsNullOrWhiteSpace(request.Name) || request.Name.Length > 100)
        {
            errors.Add("name", Text.T("必填，不超过 100 字"));
        }

        if (errors.Any)
        {
            return Outcome.Invalid(errors);
        }

        var day = await s.Db.CalendarDays.FirstOrDefaultAsync(d => d.Date == date, ct);
        if (day is null)
        {
            s.Db.CalendarDays.Add(day = new CalendarDay { Date = date });
        }

        day.Kind = request.Kind!.Value;
        day.Name = request.Name!.Trim();
        await s.Db.SaveChangesAsync(ct);
        return Outcome.Ok(CalendarDayDto.From(day));
    }
}
