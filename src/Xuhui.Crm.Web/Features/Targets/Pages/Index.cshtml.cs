using System.Globalization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Xuhui.Crm.Domain.Time;
using Xuhui.Crm.Web.Features.Reference;
using Xuhui.Crm.Web.Features.Targets;
using Xuhui.Crm.Web.Features.Auth;
using Xuhui.Crm.Web.Shared.Localisation;
using Xuhui.Crm.Web.Shared.Pages;

namespace Xuhui.Crm.Web.Features.Targets.Pages;

/// <summary>The plan's indicators as of a date, through GET /api/targets' handler (same counting rules as the API).</summary>
public sealed class IndexModel(TargetsService targets, ReferenceData reference, TimeProvider clock, Xuhui.Crm.Web.Data.CrmDbContext db) : PageModel
{
    public TargetsDto Data { get; private set; } = null!;
    public DateOnly Today { get; private set; }
    public string? AsOfError { get; private set; }
    public ReferenceData Reference => reference;

    public async Task<IActionResult> OnGetAsync(string? asOf, CancellationToken ct)
    {
        Today = ShanghaiTime.Today(clock);
        var outcome = ApiOutcome.From<TargetsDto>(await TargetsApi.Get(string.IsNullOrEmpty(asOf) ? null : asOf, null, targets, db, reference, clock, ct));
        if (!outcome.Ok)
        {
            // A bad date shows the field error and today's figures instead of an empty page.
            AsOfError = outcome.Message;
            outcome = ApiOutcome.From<TargetsDto>(await TargetsApi.Get(null, null, targets, db, reference, clock, ct));
        }

        Data = outcome.Value!;
        return Page();
    }

    public static string Number(double? value) => value is { } v ? v.ToString("#,0.##", CultureInfo.InvariantCulture) : "—";

    public static string Percent(double? rate) => rate is { } r ? (r * 100).ToString("0.#", CultureInfo.InvariantCulture) + "%" : "—";
}
