using System.Security.Claims;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Xuhui.Crm.Domain.Time;
using Xuhui.Crm.Web.Data;
using Xuhui.Crm.Web.Features.Search;
using Xuhui.Crm.Web.Shared;

namespace Xuhui.Crm.Web.Features.Reminders;

public sealed record ReminderList(DateOnly Date, int Count, List<ReminderItem> Items);

public sealed record SnoozeRequest(DateOnly? Until, [property: NumberRange(1, 366, "天数应为 1–366")] int? Days);

public sealed record ReminderStateDto(string Key, DateTime? DismissedAt, DateOnly? SnoozedUntil);

public sealed record SubscriptionDto(List<string> Kinds, List<int> LeadDays, bool EmailEnabled, bool IsDefault);

public sealed record SubscriptionRequest(List<string>? Kinds, List<int>? LeadDays, bool? EmailEnabled);

public static partial class RemindersApi
{
    public static RouteGroupBuilder MapRemindersApi(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/reminders").WithTags("Reminders");
        group.MapGet("/", List);
        group.MapPost("/{key}/dismiss", Dismiss);
        group.MapPost("/{key}/snooze", Snooze);
        group.MapDelete("/{key}/state", Restore);
        group.MapGet("/subscription", GetSubscription);
        group.MapPut("/subscription", PutSubscription);
        return api;
    }

    /// <summary>The signed-in user's live reminders: everything within its lead days, visits by others in the last 7 days.</summary>
    public static async Task<Results<Ok<ReminderList>, ValidationProblem>> List(
        string? kind, ClaimsPrincipal user, ReminderEngine engine, TimeProvider clock, CancellationToken ct)
    {
        if (kind is not null && !ReminderKinds.IsKnown(kind))
        {
            return Problems.Field("kind", $"未知的提醒类型，取值为 {string.Join(", ", ReminderKinds.All.Select(k => k.Kind))}");
        }

        var today = ShanghaiTime.Today(clock);
        var now = clock.GetUtcNow().UtcDateTime;
        var me = user.UserId();
        var recipients = await engine.RecipientsAsync([me], ct);
        var window = new ReminderWindow(today, today.AddDays(-1), now.AddDays(-7), now, Digest: false);
        var items = recipients.Count == 0 ? [] : (await engine.ComputeAsync(window, recipients, everyone: false, ct))[me];
        if (kind is not null)
        {
            items = items.Where(i => i.Kind == kind).ToList();
        }

        return TypedResults.Ok(new ReminderList(today, items.Count, items));
    }

    public static async Task<Results<Ok<ReminderStateDto>, ValidationProblem>> Dismiss(string key, ClaimsPrincipal user, CrmDbContext db, TimeProvider clock, CancellationToken ct)
    {
        if (Validate(key) is { } problem)
        {
            return problem;
        }

        var state = await StateAsync(db, user.UserId(), key, ct);
        state.DismissedAt = clock.GetUtcNow().UtcDateTime;
        state.SnoozedUntil = null;
        await db.SaveChangesAsync(ct);
        return TypedResults.Ok(new ReminderStateDto(state.Key, state.DismissedAt, state.SnoozedUntil));
    }

    /// <summary>Hides a reminder until a date (or for a number of days); it comes back on that date if still due.</summary>
    public static async Task<Results<Ok<ReminderStateDto>, ValidationProblem>> Snooze(
        string key, SnoozeRequest request, ClaimsPrincipal user, CrmDbContext db, TimeProvider clock, CancellationToken ct)
    {
        if (Validate(key) is { } problem)
        {
            return problem;
        }

        var today = ShanghaiTime.Today(clock);
        var until = request.Until ?? (request.Days is { } d ? today.AddDays(d) : null);
        if (until is null || until <= today || until > today.AddDays(366))
        {
            return Problems.Field(request.Until is null ? "days" : "until", "应晚于今天且不超过一年 (after today, within a year)");
        }

        var state = await StateAsync(db, user.UserId(), key, ct);
        state.SnoozedUntil = until;
        state.DismissedAt = null;
        await db.SaveChangesAsync(ct);
        return TypedResults.Ok(new ReminderStateDto(state.Key, state.DismissedAt, state.SnoozedUntil));
    }

    public static async Task<Results<NoContent, ProblemHttpResult>> Restore(string key, ClaimsPrincipal user, CrmDbContext db, CancellationToken ct)
    {
        var me = user.UserId();
        var deleted = await db.ReminderStates.Where(s => s.UserId == me && s.Key == key).ExecuteDeleteAsync(ct);
        return deleted == 0 ? Problems.NotFound("该提醒未被忽略或推迟 (not dismissed or snoozed)") : TypedResults.NoContent();
    }

    public static async Task<Ok<SubscriptionDto>> GetSubscription(ClaimsPrincipal user, CrmDbContext db, IOptions<RemindersOptions> options, CancellationToken ct)
    {
        var me = user.UserId();
        var s = await db.ReminderSubscriptions.AsNoTracking().FirstOrDefaultAsync(x => x.UserId == me, ct);
        return TypedResults.Ok(ToDto(s, options.Value));
    }

    public static async Task<Results<Ok<SubscriptionDto>, ValidationProblem>> PutSubscription(
        SubscriptionRequest request, ClaimsPrincipal user, CrmDbContext db, IOptions<RemindersOptions> options, CancellationToken ct)
    {
        var errors = new Errors();
        var unknown = (request.Kinds ?? []).Where(k => !ReminderKinds.IsKnown(k)).ToList();
        if (unknown.Count > 0)
        {
            errors.Add("kinds", $"未知的提醒类型: {string.Join(", ", unknown)}");
        }

        if (request.LeadDays is { } lead && (lead.Count is 0 or > 5 || lead.Any(d => d is < 1 or > 730)))
        {
            errors.Add("leadDays", "提前天数为 1–5 个 1 至 730 之间的整数 (1 to 5 values between 1 and 730)");
        }

        if (errors.Any)
        {
            return errors.ToProblem();
        }

        var me = user.UserId();
        var s = await db.ReminderSubscriptions.FirstOrDefaultAsync(x => x.UserId == me, ct);
        if (s is null)
        {
            var d = options.Value;
            db.ReminderSubscriptions.Add(s = new ReminderSubscription
            {
                UserId = me,
                Kinds = ReminderKinds.All.Select(k => k.Kind).ToList(),
                LeadDays = [.. d.DefaultLeadDays],
            });
        }

        if (request.Kinds is not null)
        {
            s.Kinds = request.Kinds.Distinct().ToList();
        }

        if (request.LeadDays is not null)
        {
            s.LeadDays = request.LeadDays.Distinct().OrderDescending().ToList();
        }

        s.EmailEnabled = request.EmailEnabled ?? s.EmailEnabled;
        await db.SaveChangesAsync(ct);
        return TypedResults.Ok(ToDto(s, options.Value));
    }

    private static SubscriptionDto ToDto(ReminderSubscription? s, RemindersOptions o) => s is null
        ? new SubscriptionDto(ReminderKinds.All.Select(k => k.Kind).ToList(), [.. o.DefaultLeadDays], true, IsDefault: true)
        : new SubscriptionDto(s.Kinds, s.LeadDays, s.EmailEnabled, IsDefault: false);

    private static async Task<ReminderState> StateAsync(CrmDbContext db, long userId, string key, CancellationToken ct)
    {
        var state = await db.ReminderStates.FirstOrDefaultAsync(s => s.UserId == userId && s.Key == key, ct);
        if (state is null)
        {
            db.ReminderStates.Add(state = new ReminderState { UserId = userId, Key = key });
        }

        return state;
    }

    private static ValidationProblem? Validate(string key) =>
        key.Length <= 120 && KeyPattern().Match(key) is { Success: true } m && ReminderKinds.IsKnown(m.Groups[1].Value)
            ? null
            : Problems.Field("key", "提醒标识无效 (invalid reminder key)");

    [GeneratedRegex("^([a-z-]+):[0-9a-z:-]+$")]
    private static partial Regex KeyPattern();
}
