using System.Globalization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Options;
using Xuhui.Crm.Domain.Time;
using Xuhui.Crm.Web.Data;
using Xuhui.Crm.Web.Features.Reference;
using Xuhui.Crm.Web.Shared;

namespace Xuhui.Crm.Web.Features.Targets.Pages;

/// <summary>The plan's indicators as of a date, through the query GET /api/targets answers with (same counting rules).</summary>
public sealed class IndexModel(TargetsService targets, ReferenceData reference, TimeProvider clock, CrmDbContext db, IOptions<CrmOptions> options) : PageModel
{
    public TargetsDto Data { get; private set; } = null!;
    public DateOnly Today { get; private set; }
    public string? AsOfError { get; private set; }
    public ReferenceData Reference => reference;

    public async Task<IActionResult> OnGetAsync(string? asOf, CancellationToken ct)
    {
        Today = ShanghaiTime.Today(clock);
        var s = new TargetServices(db, reference, targets, clock, options);
        var outcome = await TargetQueries.AsOfAsync(string.IsNullOrEmpty(asOf) ? null : asOf, s, ct);
        if (!outcome.IsOk)
        {
            // A bad date shows the field error and today's figures instead of an empty page.
            AsOfError = outcome.Errors?.ToDictionary().SelectMany(e => e.Value).FirstOrDefault() ?? outcome.Message;
            outcome = await TargetQueries.AsOfAsync(null, s, ct);
        }

        Data = outcome.Value!;
        return Page();
    }

    public static string Number(double? value) => value is { } v ? v.ToString("#,0.##", CultureInfo.InvariantCulture) : "—";

    public static string Percent(double? rate) => rate is { } r ? (r * 100).ToString("0.#", CultureInfo.InvariantCulture) + "%" : "—";
}
