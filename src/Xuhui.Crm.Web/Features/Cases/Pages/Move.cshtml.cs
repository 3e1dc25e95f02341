using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Xuhui.Crm.Web.Data;
using Xuhui.Crm.Web.Features.Reference;
using Xuhui.Crm.Web.Shared;
using Xuhui.Crm.Web.Shared.Localisation;

namespace Xuhui.Crm.Web.Features.Cases.Pages;

/// <summary>Moves a case to another stage through the same use case as the API: same rules, same refusals.</summary>
public sealed class MoveModel(CrmDbContext db, ReferenceData reference, TimeProvider clock, UiText t) : PageModel
{
    public IActionResult OnGet(long id) => Redirect($"/cases/{id}");

    public async Task<IActionResult> OnPostAsync(long id, string? from, string? to, string? returnUrl, CancellationToken ct)
    {
        if (!User.CanWrite())
        {
            return Forbid();
        }

        var outcome = await MoveCase.HandleAsync(new(id, new TransitionRequest(from, to, null, null)), User, new CaseServices(db, reference, clock), ct);
        if (outcome.IsOk)
        {
            var p = reference.Programs.Find(outcome.Value!.Program);
            TempData["Flash"] = t.Format("「{0}」已移至「{1}」", outcome.Value.FirmName, t.Stage(p, outcome.Value.Stage));
        }
        else
        {
            TempData["Error"] = t.Format("未能变更阶段：{0}", FirstMessage(outcome));
        }

        return LocalRedirect(Url.IsLocalUrl(returnUrl) ? returnUrl : $"/cases/{id}");
    }

    /// <summary>The refusal to show: the message of a 403/404/409, or the first field error.</summary>
    private static string? FirstMessage(Outcome<CaseDto> outcome) =>
        outcome.Errors is { Any: true } errors ? errors.ToDictionary().SelectMany(e => e.Value).FirstOrDefault() : outcome.Message;
}
