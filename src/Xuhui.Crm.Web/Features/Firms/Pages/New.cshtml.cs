using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Options;
using Xuhui.Crm.Domain.Firms;
using Xuhui.Crm.Web.Data;
using Xuhui.Crm.Web.Features.Search;
using Xuhui.Crm.Web.Features.Firms;
using Xuhui.Crm.Web.Features.Contacts;
using Xuhui.Crm.Web.Features.Reference;
using Xuhui.Crm.Web.Features.Users;
using Xuhui.Crm.Web.Shared;
using Xuhui.Crm.Web.Features.Auth;
using Xuhui.Crm.Web.Shared.Localisation;
using Xuhui.Crm.Web.Shared.Firms;

namespace Xuhui.Crm.Web.Features.Firms.Pages;

/// <summary>
/// Registers a firm through the create use case (as POST /api/firms does), so the credit-code check (GB 32100-2015, with the expected check
/// character), the duplicate check and the officer rules are the API's and come back on their fields.
/// </summary>
[Authorize(Policy = Policies.Writer)]
public sealed class NewModel(CrmDbContext db, ReferenceData reference, TimeProvider clock, IOptions<CrmOptions> options, UiText t) : PageModel
{
    /// <summary>The edit form's fields plus those only a registration sets.</summary>
    [WritesTo(typeof(Firm))]
    public sealed class NewFirm : FirmForm
    {
        public string? CreditCode { get; set; }
        public bool IsProspect { get; set; }
        public bool CreditCodeOverride { get; set; }
        public string? CreditCodeOverrideReason { get; set; }
        public Ownership? Ownership { get; set; }
        public DateOnly? EstablishedOn { get; set; }
        public long? LeadOfficerId { get; set; }
    }

    [BindProperty] public NewFirm Form { get; set; } = new();

    public ReferenceData Reference => reference;

    /// <summary>The zones the new firm may lie in: those of the district it will be registered in.</summary>
    public IEnumerable<NamedCode> Zones => reference.ZonesOf(FirmValidation.ZoneDistrict(options.Value, db.District ?? options.Value.District));
    public List<OfficerDto> Officers { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken ct)
    {
        Form.LeadOfficerId = User.IsManager() ? null : User.UserId();
        await LoadAsync(ct);
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        var registration = new FirmDto
        {
            CreditCode = Blank(Form.CreditCode),
            IsProspect = Form.IsProspect,
            CreditCodeOverride = Form.CreditCodeOverride,
            CreditCodeOverrideReason = Blank(Form.CreditCodeOverrideReason),
            Ownership = Form.Ownership,
            EstablishedOn = Form.EstablishedOn,
            LeadOfficerId = User.IsManager() ? Form.LeadOfficerId : User.UserId(),
            // The form has no district field: a city admin's firm goes to the deployment's home district.
            District = db.District ?? options.Value.District,
        };
        var request = Form.ApplyTo(registration, registration.Version) with { Name = Form.Name?.Trim() ?? string.Empty };
        var outcome = await CreateFirm.HandleAsync(new(request), User, new FirmServices(db, reference, clock, options), ct);
        if (outcome.IsOk)
        {
            TempData["Flash"] = t.Format("已新建企业「{0}」", outcome.Value!.Name);
            return Redirect($"/firms/{outcome.Value.Id}");
        }

        if (outcome.Kind == OutcomeKind.Forbidden)
        {
            return Forbid();
        }

        outcome.CopyTo(ModelState, nameof(Form));
        await LoadAsync(ct);
        return Page();
    }

    /// <summary>The id of a field's error message, for aria-describedby; null when the field is fine.</summary>
    public string? ErrorId(string field) =>
        ModelState.TryGetValue($"{nameof(Form)}.{field}", out var entry) && entry.Errors.Count > 0 ? $"err-{field}" : null;

    private async Task LoadAsync(CancellationToken ct) =>
        Officers = (await UserDirectory.OfficersAsync(db, ct)).Where(o => o.Role is "officer" or "supervisor").ToList();

    private static string? Blank(string? s) => string.IsNullOrWhiteSpace(s) ? null : s.Trim();
}
