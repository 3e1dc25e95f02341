using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Xuhui.Crm.Web.Data;
using Xuhui.Crm.Web.Features.Search;
using Xuhui.Crm.Web.Features.Cases;
using Xuhui.Crm.Web.Features.Reference;
using Xuhui.Crm.Web.Shared;
using Xuhui.Crm.Web.Features.Auth;
using Xuhui.Crm.Web.Shared.Localisation;
using Xuhui.Crm.Web.Shared.Pages;

namespace Xuhui.Crm.Web.Features.Cases.Pages;

/// <summary>Moves a case to another stage through the API's transition handler: same rules, same refusals.</summary>
public sealed class MoveModel(CrmDbContext db, ReferenceData reference, TimeProvider clock, UiText t) : PageModel
{
    public IActionResult OnGet(long id) => Redirect($"/cases/{id}");

    public async Task<IActionResult> OnPostAsync(long id, string? from, string? to, string? returnUrl, CancellationToken ct)
    {
        if (!User.CanWrite())
        {
            return Forbid();
        }

        var outcome = ApiOutcome.From<CaseDto>(await CasesApi.Transition(id, new TransitionRequest(from, to, null, null), User, db, reference, clock, ct));
        if (outcome.Ok)
        {
            var p = reference.Programs.Find(outcome.Value!.Program);
            TempData["Flash"] = t.Format("「{0}」已移至「{1}」", outcome.Value.FirmName, t.Stage(p, outcome.Value.Stage));
        }
        else
        {
            TempData["Error"] = t.Format("未能变更阶段：{0}", outcome.Message);
        }

        return LocalRedirect(Url.IsLocalUrl(returnUrl) ? returnUrl : $"/cases/{id}");
    }
}
