using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Xuhui.Crm.Web.Data;
using Xuhui.Crm.Web.Features.Reference;
using Xuhui.Crm.Web.Features.Search;

namespace Xuhui.Crm.Web.Features.Exports.Pages;

/// <summary>The signed-in officer's downloads (cookie), through the same use cases as /api/exports (bearer).</summary>
public sealed class ExportModel(FirmSearch search, CrmDbContext db, ReferenceData reference) : PageModel
{
    public async Task<IActionResult> OnGetAsync(
        string list, string? format, string? q, string? program, string? stage, long? officerId, string? zone, string? industry, string? tier, string? sort,
        long? ownerId, bool? open, long? firmId, DateOnly? from, DateOnly? to, string? status, CancellationToken ct)
    {
        var services = new ExportServices(db, reference, search);
        var outcome = list switch
        {
            "firms" => await ExportFirms.HandleAsync(
                new(new FirmQuery(Blank(q), Blank(program), Blank(stage), officerId, Blank(zone), Blank(industry), Blank(tier), Blank(status), Blank(sort), null, null), format),
                HttpContext, User, services, ct),
            "cases" => await ExportCases.HandleAsync(new(Blank(program), Blank(stage), ownerId, open, firmId, format), HttpContext, services, ct),
            _ => await ExportVisits.HandleAsync(new(firmId, officerId, from, to, Blank(status), format), HttpContext, services, ct),
        };
        return outcome.IsOk ? new EmptyResult() : BadRequest();
    }

    private static string? Blank(string? s) => string.IsNullOrWhiteSpace(s) ? null : s.Trim();
}
