using Xuhui.Crm.Web.Data;
using Xuhui.Crm.Web.Features.Reference;
using Xuhui.Crm.Web.Features.Search;
using Xuhui.Crm.Web.Shared;
using Xuhui.Crm.Web.Shared.Localisation;

namespace Xuhui.Crm.Web.Features.Exports;

/// <summary>What the exports need, bound as one <c>[AsParameters]</c> argument by the API and built by the download page.</summary>
public sealed record ExportServices(CrmDbContext Db, ReferenceData Reference, FirmSearch Search);

/// <summary>
/// An export either streams its sheet into the response (ok) or refuses the filters (invalid) before writing a byte.
/// </summary>
internal static class ExportText
{
    public static void CheckFormat(Errors errors, string? format, out SheetKind kind)
    {
        if (!SheetExport.TryFormat(format, out kind))
        {
            errors.Add("format", Text.T("取值应为 xlsx 或 csv"));
        }
    }

    /// <summary>Column titles in the caller's language.</summary>
    public static string[] Headers(params string[] zh) => zh.Select(Text.T).ToArray();
}
