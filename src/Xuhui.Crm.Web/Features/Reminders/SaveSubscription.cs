using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using Xuhui.Crm.Web.Shared;
using Xuhui.Crm.Web.Shared.Localisation;

namespace Xuhui.Crm.Web.Features.Reminders;

/// <summary>
/// Saves the signed-in user's reminder subscription (PUT /api/reminders/subscription and the settings page); a field
/// left out keeps its saved (or default) value.
/// </summary>
public static class SaveSubscription
{
    public sealed record Command(SubscriptionRequest Input);

    public static async Task<Outcome<SubscriptionDto>> HandleAsync(Command command, ClaimsPrincipal user, ReminderServices s, CancellationToken ct)
    {
        var request = command.Input;
        var errors = Validate(request);
        if (errors.Any)
        {
            return Outcome.Invalid(errors);
        }

        var me = user.UserId();
        var subscription = await s.Db.ReminderSubscriptions.FirstOrDefaultAsync(x => x.UserId == me, ct);
        if (subscription is null)
        {
            s.Db.ReminderSubscriptions.Add(subscription = new ReminderSubscription
            {
                UserId = me,
                Kinds = ReminderKinds.All.Select(k => k.Kind).ToList(),
                LeadDays = [.. s.Options.Value.DefaultLeadDays],
            });
        }

        if (request.Kinds is not null)
        {
            subscription.Kinds = request.Kinds.Distinct().ToList();
        }

        if (request.LeadDays is not null)
        {
            subscription.LeadDays = request.LeadDays.Distinct().OrderDescending().ToList();
        }

        subscription.EmailEnabled = request.EmailEnabled ?? subscription.EmailEnabled;
        await s.Db.SaveChangesAsync(ct);
        return Outcome.Ok(ReminderQueries.ToDto(subscription, s.Options.Value));
    }

    private static Errors Validate(SubscriptionRequest request)
    {
        var errors = new Errors();
        var unknown = (request.Kinds ?? []).Where(k => !ReminderKinds.IsKnown(k)).ToList();
        if (unknown.Count > 0)
        {
            errors.Add("kinds", Text.F("未知的提醒类型: {0}", string.Join(", ", unknown)));
        }

        if (request.LeadDays is { } lead && (lead.Count is 0 or > 5 || lead.Any(d => d is < 1 or > 730)))
        {
            errors.Add("leadDays", Text.T("提前天数为 1–5 个 1 至 730 之间的整数"));
        }

        return errors;
    }
}
