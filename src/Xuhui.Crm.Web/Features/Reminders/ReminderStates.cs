using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Xuhui.Crm.Web.Data;
using Xuhui.Crm.Web.Shared;
using Xuhui.Crm.Web.Shared.Localisation;

namespace Xuhui.Crm.Web.Features.Reminders;

/// <summary>A user's dismissed or snoozed reminder, found or started; the key checks dismiss and snooze share.</summary>
internal static partial class ReminderStates
{
    /// <summary>The field error of a key no reminder can carry ("kind:…" of a known kind), or null.</summary>
    public static Errors? ValidateKey(string key) =>
        key.Length <= 120 && KeyPattern().Match(key) is { Success: true } m && ReminderKinds.IsKnown(m.Groups[1].Value)
            ? null
            : new Errors().Add("key", Text.T("提醒标识无效"));

    public static async Task<ReminderState> FindOrAddAsync(CrmDbContext db, long userId, string key, CancellationToken ct)
    {
        var state = await db.ReminderStates.FirstOrDefaultAsync(s => s.UserId == userId && s.Key == key, ct);
        if (state is null)
        {
            db.ReminderStates.Add(state = new ReminderState { UserId = userId, Key = key });
        }

        return state;
    }

    public static ReminderStateDto ToDto(ReminderState state) => new(state.Key, state.DismissedAt, state.SnoozedUntil);

    [GeneratedRegex("^([a-z-]+):[0-9a-z:-]+$")]
    private static partial Regex KeyPattern();
}
