using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using Xuhui.Crm.Web.Shared;
using Xuhui.Crm.Web.Shared.Localisation;

namespace Xuhui.Crm.Web.Features.Reminders;

/// <summary>Brings back a dismissed or snoozed reminder (DELETE /api/reminders/{key}/state).</summary>
public static class RestoreReminder
{
    public sealed record Command(string Key);

    public static async Task<Outcome<string>> HandleAsync(Command command, ClaimsPrincipal user, ReminderServices s, CancellationToken ct)
    {
        var me = user.UserId();
        var deleted = await s.Db.ReminderStates.Where(x => x.UserId == me && x.Key == command.Key).ExecuteDeleteAsync(ct);
        return deleted == 0 ? Outcome.NotFound(Text.T("该提醒未被忽略或推迟")) : Outcome.Ok(command.Key);
    }
}
