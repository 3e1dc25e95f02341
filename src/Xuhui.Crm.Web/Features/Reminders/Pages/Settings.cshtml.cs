using System.Globalization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Options;
using Xuhui.Crm.Web.Data;
using Xuhui.Crm.Web.Shared.Localisation;

namespace Xuhui.Crm.Web.Features.Reminders.Pages;

/// <summary>The signed-in user's reminder subscription (the digest's settings link), through the same use case as PUT /api/reminders/subscription.</summary>
public sealed class SettingsModel(CrmDbContext db, TimeProvider clock, ReminderEngine engine, IOptions<RemindersOptions> options, UiText t) : PageModel
{
    private ReminderServices Services => new(db, clock, engine, options);

    public SubscriptionDto Current { get; private set; } = new([], [], true, true);

    public async Task OnGetAsync(CancellationToken ct) => Current = await ReminderQueries.SubscriptionAsync(User, Services, ct);

    public async Task<IActionResult> OnPostAsync(List<string>? kinds, string? leadDays, bool emailEnabled, CancellationToken ct)
    {
        var days = new List<int>();
        foreach (var part in (leadDays ?? string.Empty).Split([',', '，', ' ', '、'], StringSplitOptions.RemoveEmptyEntries))
        {
            if (!int.TryParse(part, NumberStyles.None, CultureInfo.InvariantCulture, out var d))
            {
                ModelState.AddModelError("LeadDays", t["提前天数应为整数"]);
                await OnGetAsync(ct);
                return Page();
            }

            days.Add(d);
        }

        var outcome = await SaveSubscription.HandleAsync(new(new SubscriptionRequest(kinds ?? [], days, emailEnabled)), User, Services, ct);
        if (outcome.IsOk)
        {
            TempData["Flash"] = t["提醒设置已保存"];
            return RedirectToPage();
        }

        outcome.CopyTo(ModelState, string.Empty);
        await OnGetAsync(ct);
        return Page();
    }
}
