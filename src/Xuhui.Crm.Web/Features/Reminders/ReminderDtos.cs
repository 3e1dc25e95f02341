using Microsoft.Extensions.Options;
using Xuhui.Crm.Web.Data;
using Xuhui.Crm.Web.Shared;

namespace Xuhui.Crm.Web.Features.Reminders;

public sealed record ReminderList(DateOnly Date, int Count, List<ReminderItem> Items);

public sealed record SnoozeRequest(DateOnly? Until, [property: NumberRange(1, 366, "天数应为 1–366")] int? Days);

public sealed record ReminderStateDto(string Key, DateTime? DismissedAt, DateOnly? SnoozedUntil);

public sealed record SubscriptionDto(List<string> Kinds, List<int> LeadDays, bool EmailEnabled, bool IsDefault);

public sealed record SubscriptionRequest(List<string>? Kinds, List<int>? LeadDays, bool? EmailEnabled);

/// <summary>What the reminder use cases and queries need, bound as one <c>[AsParameters]</c> argument by the API.</summary>
public sealed record ReminderServices(CrmDbContext Db, TimeProvider Clock, ReminderEngine Engine, IOptions<RemindersOptions> Options);
