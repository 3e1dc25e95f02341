using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Xuhui.Crm.Web.Data;
using Xuhui.Crm.Web.Features.Search;
using Xuhui.Crm.Web.Features.Firms;
using Xuhui.Crm.Web.Features.Contacts;
using Xuhui.Crm.Web.Features.Imports;
using Xuhui.Crm.Web.Features.Exports;
using Xuhui.Crm.Web.Features.Reference;

namespace Xuhui.Crm.Web.Features.Exports.Pages;

/// <summary>The signed-in officer's downloads (cookie), through the same handlers as /api/exports (bearer).</summary>
public sealed class ExportModel(FirmSearch search, CrmDbContext db, ReferenceData reference) : PageModel
{
    public async Task<IActionResult> OnGetAsync(
        string list, string? format, string? q, string? program, string? stage, long? officerId, string? zone, string? industry, string? tier, string? sort,
        long? ownerId, bool? open, long? firmId, DateOnly? from, DateOnly? to, string? status, CancellationToken ct)
    {
        var result = list switch
        {
            "firms" => (await ExportsApi.Firms(new FirmQuery(Blank(q), Blank(program), Blank(stage), officerId, Blank(zone), Blank(industry), Blank(tier), Blank(status), Blank(sort), null, null),
                format, HttpContext, User, search, db, reference, ct)).Result,
            "cases" => (await ExportsApi.Cases(Blank(program), Blank(stage), ownerId, open, firmId, format, HttpContext, db, reference, ct)).Result,
            _ => (await ExportsApi.Visits(firmId, officerId, from, to, Blank(status), format, HttpContext, db, ct)).Result,
        };
        return result is Microsoft.AspNetCore.Http.HttpResults.EmptyHttpResult ? new EmptyResult() : BadRequest();
    }

    private static string? Blank(string? s) => string.IsNullOrWhiteSpace(s) ? null : s.Trim();
}
