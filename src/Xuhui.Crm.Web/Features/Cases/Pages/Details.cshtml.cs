using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Xuhui.Crm.Domain.Programs;
using Xuhui.Crm.Web.Data;
using Xuhui.Crm.Web.Features.Reference;
using Xuhui.Crm.Web.Features.Users;

namespace Xuhui.Crm.Web.Features.Cases.Pages;

public sealed class DetailsModel(CrmDbContext db, ReferenceData reference, TimeProvider clock) : PageModel
{
    public CaseDto Case { get; private set; } = new();
    public ProgramDefinition? Program { get; private set; }
    public MoveButtons Moves { get; private set; } = null!;
    public Dictionary<long, string> People { get; private set; } = [];
    public ProgramCatalog Programs => reference.Programs;

    public async Task<IActionResult> OnGetAsync(long id, CancellationToken ct)
    {
        var outcome = await CaseQueries.GetAsync(id, new CaseServices(db, reference, clock), ct);
        if (!outcome.IsOk)
        {
            return NotFound();
        }

        Case = outcome.Value!;
        Program = reference.Programs.Find(Case.Program);
        var canEdit = CaseAccess.CanEdit(User, Case.OwnerId);
        Moves = MoveButtons.For(reference.Programs, Case.Program, Case.Id, Case.FirmName ?? string.Empty, Case.Stage, canEdit, $"/cases/{id}");
        People = (await UserDirectory.OfficersAsync(db, ct)).ToDictionary(o => o.Id, o => o.DisplayName);
        return Page();
    }

    public string Person(long? id) => id is { } i && People.TryGetValue(i, out var name) ? name : "—";
}
