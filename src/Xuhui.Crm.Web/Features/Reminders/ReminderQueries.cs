using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using Xuhui.Crm.Domain.Time;
using Xuhui.Crm.Web.Shared;
using Xuhui.Crm.Web.Shared.Localisation;

namespace Xuhui.Crm.Web.Features.Reminders;

/// <summary>The reads the API and the pages share: the signed-in user's live reminders and subscription.</summary>
public static class ReminderQueries
{
    /// <summary>The signed-in user's live reminders: everything within its lead days, visits by others in the last 7 days.</summary>
    public static async Task<Outcome<ReminderList>> ListAsync(string? kind, ClaimsPrincipal user, ReminderServices s, CancellationToken ct)
    {
        if (kind is not null && !ReminderKinds.IsKnown(kind))
        {
            return Outcome.Invalid("kind", Text.F("未知的提醒类型，取值为 {0}", string.Join(", ", ReminderKinds.All.Select(k => k.Kind))));
        }

        var today = ShanghaiTime.Today(s.Clock);
        var now = s.Clock.GetUtcNow().UtcDateTime;
        var me = user.UserId();
        var recipients = await s.Engine.RecipientsAsync([me], ct);
        var window = new ReminderWindow(today, today.AddDays(-1), now.AddDays(-7), now, Digest: false);
        var items = recipients.Count == 0 ? [] : (await s.Engine.ComputeAsync(window, recipients, everyone: false, ct))[me];
        if (kind is not null)
        {
            items = items.Where(i => i.Kind == kind).ToList();
        }

        return Outcome.Ok(new ReminderList(today, items.Count, items));
    }

    /// <summary>The signed-in user's subscription, or the defaults when they never saved one.</summary>
    public static async Task<SubscriptionDto> SubscriptionAsync(ClaimsPrincipal user, ReminderServices s, CancellationToken ct)
    {
        var me = user.UserId();
        var subscription = await s.Db.ReminderSubscriptions.AsNoTracking().FirstOrDefaultAsync(x => x.UserId == me, ct);
        return ToDto(subscription, s.Options.Value);
    }

    internal static SubscriptionDto ToDto(ReminderSubscription? s, RemindersOptions o) => s is null
        ? new SubscriptionDto(ReminderKinds.All.Select(k => k.Kind).ToList(), [.. o.DefaultLeadDays], true, IsDefault: true)
        : new SubscriptionDto(s.Kinds, s.LeadDays, s.EmailEnabled, IsDefault: false);
}
