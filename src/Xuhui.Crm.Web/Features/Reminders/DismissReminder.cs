using System.Security.Claims;
using Xuhui.Crm.Web.Shared;

namespace Xuhui.Crm.Web.Features.Reminders;

/// <summary>Hides a reminder for the signed-in user for good (POST /api/reminders/{key}/dismiss and the workbench).</summary>
public static class DismissReminder
{
    public sealed record Command(string Key);

    public static async Task<Outcome<ReminderStateDto>> HandleAsync(Command command, ClaimsPrincipal user, ReminderServices s, CancellationToken ct)
    {
        if (ReminderStates.ValidateKey(command.Key) is { } errors)
        {
            return Outcome.Invalid(errors);
        }

        var state = await ReminderStates.FindOrAddAsync(s.Db, user.UserId(), command.Key, ct);
        state.DismissedAt = s.Clock.GetUtcNow().UtcDateTime;
        state.SnoozedUntil = null;
        await s.Db.SaveChangesAsync(ct);
        return Outcome.Ok(ReminderStates.ToDto(state));
    }
}
