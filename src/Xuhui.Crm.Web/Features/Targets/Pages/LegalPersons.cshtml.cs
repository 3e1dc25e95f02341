using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Options;
using Xuhui.Crm.Domain.Time;
using Xuhui.Crm.Web.Data;
using Xuhui.Crm.Web.Features.Auth;
using Xuhui.Crm.Web.Features.Reference;
using Xuhui.Crm.Web.Shared;
using Xuhui.Crm.Web.Shared.Localisation;

namespace Xuhui.Crm.Web.Features.Targets.Pages;

/// <summary>
/// Enterprise legal-person counts per year (the HNTE-per-10k denominator), through the use case and query the
/// /api/statistics routes call: admins and supervisors, as the API.
/// </summary>
[Authorize(Policy = Policies.Manager)]
public sealed class LegalPersonsModel(CrmDbContext db, TargetsService targets, TimeProvider clock, UiText t, ReferenceData reference, IOptions<CrmOptions> options) : PageModel
{
    public sealed class CountForm
    {
        public int? Year { get; set; }
        public int? Count { get; set; }
        public string? Source { get; set; }
        public DateOnly? PublishedOn { get; set; }
        public string? Note { get; set; }
        public int? Version { get; set; }
    }

    [BindProperty] public CountForm Form { get; set; } = new();

    public List<LegalPersonCountDto> Rows { get; private set; } = [];
    public LegalPersonBasis? ThisYear { get; private set; }
    public int Year { get; private set; }

    /// <summary>The row as stored when a save was refused as stale.</summary>
    public LegalPersonCountDto? Current { get; private set; }

    public async Task OnGetAsync(int? year, CancellationToken ct)
    {
        await LoadAsync(ct);
        if (year is { } y && Rows.FirstOrDefault(r => r.Year == y) is { } row)
        {
            Form = new CountForm { Year = row.Year, Count = row.Count, Source = row.Source, PublishedOn = row.PublishedOn, Note = row.Note, Version = row.Version };
        }
        else
        {
            Form.Year = year ?? Year;
        }
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        var request = new LegalPersonCountRequest(Form.Count, Form.Source, Form.PublishedOn, Form.Note, Form.Version);
        var outcome = await RecordLegalPersonCount.HandleAsync(new(Form.Year ?? 0, request), Services, ct);
        if (outcome.IsOk)
        {
            TempData["Flash"] = t.Format("{0} 年企业法人数已保存", outcome.Value!.Year);
            return RedirectToPage();
        }

        if (outcome.IsConflict && outcome.Current is LegalPersonCountDto now)
        {
            // Keep what the admin typed; the current version lets one more click save it over the stored row.
            Current = now;
            Form.Version = now.Version;
            ModelState.Clear();
        }

        outcome.CopyTo(ModelState, nameof(Form));
        await LoadAsync(ct);
        return Page();
    }

    private TargetServices Services => new(db, reference, targets, clock, options);

    private async Task LoadAsync(CancellationToken ct)
    {
        Year = ShanghaiTime.Today(clock).Year;
        Rows = await TargetQueries.LegalPersonCountsAsync(Services, ct);
        Rows.Reverse();
        ThisYear = await targets.LegalPersonsForAsync(Year, ct);
    }
}
