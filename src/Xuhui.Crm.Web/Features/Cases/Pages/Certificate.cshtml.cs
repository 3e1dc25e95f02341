using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Xuhui.Crm.Domain.Programs;
using Xuhui.Crm.Web.Data;
using Xuhui.Crm.Web.Features.Reference;
using Xuhui.Crm.Web.Shared;
using Xuhui.Crm.Web.Shared.Localisation;

namespace Xuhui.Crm.Web.Features.Cases.Pages;

/// <summary>
/// Certificate number and dates of a case through the same use case as PUT /api/cases/{id}/certificate: its permission
/// check, validation (an expiry left empty follows the programme's certificate term) and conflict on a stale version.
/// </summary>
[Authorize(Policy = Policies.Writer)]
public sealed class CertificateModel(CrmDbContext db, ReferenceData reference, TimeProvider clock, UiText t) : PageModel
{
    private readonly CaseServices _cases = new(db, reference, clock);

    public sealed class CertificateForm
    {
        public string? Number { get; set; }
        public DateOnly? IssuedOn { get; set; }
        public DateOnly? ExpiresOn { get; set; }
        public int? Version { get; set; }
    }

    [BindProperty] public CertificateForm Form { get; set; } = new();

    public CaseDto Case { get; private set; } = new();
    public ProgramDefinition? Program { get; private set; }

    /// <summary>The stored case when a save was refused as stale.</summary>
    public CaseDto? Current { get; private set; }

    public async Task<IActionResult> OnGetAsync(long id, CancellationToken ct)
    {
        if (await LoadAsync(id, ct) is { } refused)
        {
            return refused;
        }

        Form = new CertificateForm { Number = Case.CertificateNumber, IssuedOn = Case.CertificateIssuedOn, ExpiresOn = Case.CertificateExpiresOn, Version = Case.Version };
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(long id, CancellationToken ct)
    {
        if (await LoadAsync(id, ct) is { } refused)
        {
            return refused;
        }

        var request = new CertificateRequest(Form.Version, Form.Number, Form.IssuedOn, Form.ExpiresOn);
        var outcome = await SetCertificate.HandleAsync(new(id, request), User, _cases, ct);
        if (outcome.IsOk)
        {
            TempData["Flash"] = t.Format("证书 {0} 已保存", outcome.Value!.CertificateNumber);
            return Redirect($"/cases/{id}");
        }

        return outcome.ToRefusedPage(this, nameof(Form), (CaseDto now) => (Current, Form.Version) = (now, now.Version));
    }

    private async Task<IActionResult?> LoadAsync(long id, CancellationToken ct)
    {
        var outcome = await CaseQueries.GetAsync(id, _cases, ct);
        if (!outcome.IsOk)
        {
            return NotFound();
        }

        Case = outcome.Value!;
        Program = reference.Programs.Find(Case.Program);
        return null;
    }

    /// <summary>A certificate belongs to a case at a stage that holds one (programs.json) or that already has one.</summary>
    public static bool Applies(ProgramDefinition? program, CaseDto c) =>
        c.CertificateNumber is not null || (program?.HoldsCertificate(c.Stage) ?? false);
}
