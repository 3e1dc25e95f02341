using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Xuhui.Crm.Web.Data;
using Xuhui.Crm.Web.Features.Search;
using Xuhui.Crm.Web.Features.Firms;
using Xuhui.Crm.Web.Features.Contacts;
using Xuhui.Crm.Web.Features.Reference;
using Xuhui.Crm.Web.Shared;
using Xuhui.Crm.Web.Features.Auth;
using Xuhui.Crm.Web.Shared.Localisation;
using Xuhui.Crm.Web.Shared.Firms;

namespace Xuhui.Crm.Web.Features.Firms.Pages;

/// <summary>
/// Edits a firm through the update use case (as PUT /api/firms/{id} does). A stale version comes back as a conflict: the page shows which
/// fields someone else changed since the form was opened and keeps the officer's values, now against the current version,
/// so one more click re-applies them.
/// </summary>
[Authorize(Policy = Policies.Writer)]
public sealed class EditModel(CrmDbContext db, ReferenceData reference, TimeProvider clock, IOptions<CrmOptions> options, UiText t) : PageModel
{
    [BindProperty] public FirmForm Form { get; set; } = new();
    [BindProperty] public FirmForm Original { get; set; } = new();
    [BindProperty] public int Version { get; set; }

    public string FirmName { get; private set; } = string.Empty;
    public List<FieldConflict> Conflicts { get; private set; } = [];
    public string? ChangedBy { get; private set; }
    public bool Conflicted { get; private set; }
    public ReferenceData Reference => reference;

    /// <summary>The zones of the firm's district (the deployment's, with one district).</summary>
    public IEnumerable<NamedCode> Zones { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(long id, CancellationToken ct)
    {
        if (await LoadAsync(id, ct) is not { } firm)
        {
            return NotFound();
        }

        if (!await FirmAccess.CanEditAsync(db, User, id, ct))
        {
            return Forbid();
        }

        Form = FirmForm.From(firm);
        Original = FirmForm.From(firm);
        Version = firm.Version;
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(long id, CancellationToken ct)
    {
        if (await LoadAsync(id, ct) is not { } current)
        {
            return NotFound();
        }

        var outcome = await UpdateFirm.HandleAsync(new(id, Form.ApplyTo(current, Version)), User, new FirmServices(db, reference, clock, options), ct);
        if (outcome.IsOk)
        {
            TempData["Flash"] = t["企业信息已保存"];
            return Redirect($"/firms/{id}");
        }

        if (outcome.Kind == OutcomeKind.Forbidden)
        {
            return Forbid();
        }

        if (outcome.IsConflict && outcome.Current is FirmDto now)
        {
            var theirs = FirmForm.From(now);
            Conflicts = FirmForm.Fields
                .Where(f => f.Value(theirs) != f.Value(Original))
                .Select(f => new FieldConflict(f.Key, f.Label, f.Value(Original), f.Value(theirs), f.Value(Form) == f.Value(Original) ? null : f.Value(Form)))
                .ToList();
            Form = FirmForm.Merge(Original, Form, theirs);
            ChangedBy = await db.AuditEntries.AsNoTracking().Where(a => a.FirmId == id && a.UserId != null)
                .OrderByDescending(a => a.Id).Join(db.Users, a => a.UserId, u => u.Id, (a, u) => u.DisplayName).FirstOrDefaultAsync(ct);
            Conflicted = true;
            // Re-apply now means: my values over the current version.
            Original = theirs;
            Version = now.Version;
            ModelState.Clear();
            return Page();
        }

        outcome.CopyTo(ModelState, nameof(Form));
        return Page();
    }

    private async Task<FirmDto?> LoadAsync(long id, CancellationToken ct)
    {
        var firm = await FirmQueries.GetAsync(db, id, options.Value.Cadence, ct);
        FirmName = firm?.Name ?? string.Empty;
        Zones = firm is null ? [] : reference.ZonesOf(FirmValidation.ZoneDistrict(options.Value, firm.District ?? options.Value.District));
        return firm;
    }
}
