using System.Globalization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Options;
using Xuhui.Crm.Web.Data;
using Xuhui.Crm.Web.Features.Search;
using Xuhui.Crm.Web.Features.Reminders;
using Xuhui.Crm.Web.Features.Auth;
using Xuhui.Crm.Web.Shared.Localisation;
using Xuhui.Crm.Web.Shared.Pages;

namespace Xuhui.Crm.Web.Features.Reminders.Pages;

/// <summary>The signed-in user's reminder subscription (the digest's settings link), through the /api/reminders/subscription handlers.</summary>
public sealed class SettingsModel(CrmDbContext db, IOptions<RemindersOptions> options, UiText t) : PageModel
{
    public SubscriptionDto Current { get; private set; } = new([], [], true, true);

    public async Task OnGetAsync(CancellationToken ct) => Current = (await RemindersApi.GetSubscription(User, db, options, ct)).Value!;

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

        var request = new SubscriptionRequest(kinds ?? [], days, emailEnabled);
        var outcome = ApiOutcome.From<SubscriptionDto>(await RemindersApi.PutSubscription(request, User, db, options, ct));
        if (outcome.Ok)
        {
            TempData["Flash"] = t["提醒设置已保存"];
            return RedirectToPage();
        }

        outcome.CopyTo(ModelState, string.Empty);
        await OnGetAsync(ct);
        return Page();
    }
}
