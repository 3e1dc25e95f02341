using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Xuhui.Crm.Web.Shared;

namespace Xuhui.Crm.Web.Features.Reminders;

/// <summary>The reminder routes: each maps its request to a use case or a query and the outcome to its typed results.</summary>
public static class RemindersApi
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
        string? kind, ClaimsPrincipal user, [AsParameters] ReminderServices s, CancellationToken ct) =>
        OkOrInvalid(await ReminderQueries.ListAsync(kind, user, s, ct));

    public static async Task<Results<Ok<ReminderStateDto>, ValidationProblem>> Dismiss(
        string key, ClaimsPrincipal user, [AsParameters] ReminderServices s, CancellationToken ct) =>
        OkOrInvalid(await DismissReminder.HandleAsync(new(key), user, s, ct));

    /// <summary>Hides a reminder until a date (or for a number of days); it comes back on that date if still due.</summary>
    public static async Task<Results<Ok<ReminderStateDto>, ValidationProblem>> Snooze(
        string key, SnoozeRequest request, ClaimsPrincipal user, [AsParameters] ReminderServices s, CancellationToken ct) =>
        OkOrInvalid(await SnoozeReminder.HandleAsync(new(key, request), user, s, ct));

    public static async Task<Results<NoContent, ProblemHttpResult>> Restore(
        string key, ClaimsPrincipal user, [AsParameters] ReminderServices s, CancellationToken ct) =>
        await RestoreReminder.HandleAsync(new(key), user, s, ct) is { IsOk: false } failed
            ? (ProblemHttpResult)failed.ToProblem()
            : TypedResults.NoContent();

    public static async Task<Ok<SubscriptionDto>> GetSubscription(ClaimsPrincipal user, [AsParameters] ReminderServices s, CancellationToken ct) =>
        TypedResults.Ok(await ReminderQueries.SubscriptionAsync(user, s, ct));

    public static async Task<Results<Ok<SubscriptionDto>, ValidationProblem>> PutSubscription(
        SubscriptionRequest request, ClaimsPrincipal user, [AsParameters] ReminderServices s, CancellationToken ct) =>
        OkOrInvalid(await SaveSubscription.HandleAsync(new(request), user, s, ct));

    /// <summary>These use cases fail only on their fields, so the route's union holds no other problem.</summary>
    private static Results<Ok<T>, ValidationProblem> OkOrInvalid<T>(Outcome<T> outcome) =>
        outcome.IsOk ? TypedResults.Ok(outcome.Value) : (ValidationProblem)outcome.ToProblem();
}
