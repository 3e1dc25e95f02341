using System.Security.Claims;
using Xuhui.Crm.Domain.Time;
using Xuhui.Crm.Web.Shared;
using Xuhui.Crm.Web.Shared.Localisation;

namespace Xuhui.Crm.Web.Features.Reminders;

/// <summary>Hides a reminder until a date (or for a number of days); it comes back on that date if still due.</summary>
public static class SnoozeReminder
{
    public sealed record Command(string Key, SnoozeRequest Input);

    public static async Task<Outcome<ReminderStateDto>> HandleAsync(Command command, ClaimsPrincipal user, ReminderServices s, CancellationToken ct)
    {
        if (ReminderStates.ValidateKey(command.Key) is { } errors)
        {
            return Outcome.Invalid(errors);
        }

        var request = command.Input;
        var today = ShanghaiTime.Today(s.Clock);
        var until = request.Until ?? (request.Days is { } d ? today.AddDays(d) : null);
        if (until is null || until <= today || until > today.AddDays(366))
        {
            return Outcome.Invalid(request.Until is null ? "days" : "until", Text.T("应晚于今天且不超过一年"));
        }

        var state = await ReminderStates.FindOrAddAsync(s.Db, user.UserId(), command.Key, ct);
        state.SnoozedUntil = until;
        state.DismissedAt = null;
        await s.Db.SaveChangesAsync(ct);
        return Outcome.Ok(ReminderStates.ToDto(state));
    }
}
