using System.Security.Claims;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Xuhui.Crm.Web.Data;
using Xuhui.Crm.Web.Features.Search;
using Xuhui.Crm.Web.Features.Imports;
using Xuhui.Crm.Web.Features.Exports;
using Xuhui.Crm.Web.Features.Firms;
using Xuhui.Crm.Web.Shared;
using Xuhui.Crm.Web.Features.Auth;
using Xuhui.Crm.Web.Shared.Localisation;
using Xuhui.Crm.Web.Shared.Pages;

namespace Xuhui.Crm.Web.Features.Imports.Pages;

/// <summary>
/// Upload, preview (dry run), commit and history. The previewed file is kept in a temporary file named by a random
/// token so "导入" commits exactly what was previewed without a second upload.
/// </summary>
[Authorize(Policy = Policies.Manager)]
public sealed class IndexModel(ImportService imports, CrmDbContext db, UiText t) : PageModel
{
    [BindProperty] public IFormFile? Upload { get; set; }
    [BindProperty] public string? Token { get; set; }
    [BindProperty] public string? FileName { get; set; }
    [BindProperty] public bool SkipErrors { get; set; }
    [BindProperty] public string? MappingName { get; set; }
    [BindProperty] public string? SaveMappingAs { get; set; }

    public ImportReport? Report { get; private set; }
    public List<ImportRunDto> History { get; private set; } = [];
    public List<string> Mappings { get; private set; } = [];
    public bool Running => History.Any(h => h.Status == "running");

    public async Task OnGetAsync(CancellationToken ct) => await LoadAsync(ct);

    public async Task<IActionResult> OnPostPreviewAsync(CancellationToken ct)
    {
        if (Upload is null || Upload.Length == 0)
        {
            TempData["Error"] = t["请选择要导入的 .xlsx 或 CSV 文件"];
            return RedirectToPage();
        }

        Token = Guid.NewGuid().ToString("N");
        FileName = Path.GetFileName(Upload.FileName);
        await using (var kept = System.IO.File.Create(KeptPath(Token)))
        {
            await Upload.CopyToAsync(kept, ct);
        }

        return await RunAsync(dryRun: true, ct);
    }

    public async Task<IActionResult> OnPostCommitAsync(CancellationToken ct)
    {
        if (Token is null || !Guid.TryParseExact(Token, "N", out _) || !System.IO.File.Exists(KeptPath(Token)))
        {
            TempData["Error"] = t["预览已过期，请重新上传文件"];
            return RedirectToPage();
        }

        var result = await RunAsync(dryRun: false, ct);
        if (Report is { Status: "committed" })
        {
            System.IO.File.Delete(KeptPath(Token));
            TempData["Flash"] = t.Format("导入完成：新建 {0} 家，更新 {1} 家，未变 {2} 家", Report.Counts.Create, Report.Counts.Update, Report.Counts.Unchanged);
            return RedirectToPage();
        }

        return result;
    }

    public async Task<IActionResult> OnGetReportAsync(long id, string? format, CancellationToken ct)
    {
        var outcome = await ImportQueries.WriteReportAsync(HttpContext, db, id, format, ct);
        return outcome.IsOk ? new EmptyResult() : outcome.Kind == OutcomeKind.NotFound ? NotFound() : BadRequest();
    }

    private async Task<IActionResult> RunAsync(bool dryRun, CancellationToken ct)
    {
        await using (var file = System.IO.File.OpenRead(KeptPath(Token!)))
        {
            var outcome = await RunImport.HandleAsync(
                new RunImport.Command(file, FileName ?? "upload", dryRun, SkipErrors, MappingName), User.UserId(), new ImportServices(db, imports), ct);
            if (!outcome.IsOk)
            {
                TempData["Error"] = RunImport.Describe(outcome);
                return RedirectToPage();
            }

            Report = outcome.Value;
        }

        await LoadAsync(ct);
        return Page();
    }

    private async Task LoadAsync(CancellationToken ct)
    {
        History = await ImportQueries.HistoryAsync(db, 20, ct);
        Mappings = await ImportMappings.NamesAsync(db, ct);
    }

    private static string KeptPath(string token) => Path.Combine(Path.GetTempPath(), $"xuhui-import-kept-{token}.upload");

    public string OutcomeText(string outcome) => outcome switch
    {
        Outcomes.Create => t["新建"],
        Outcomes.Update => t["更新"],
        Outcomes.Unchanged => t["未变"],
        Outcomes.Error => t["错误"],
        Outcomes.PossibleDuplicate => t["可能重复"],
        _ => outcome,
    };

    public string StatusText(string status) => status switch
    {
        "running" => t["进行中"],
        "previewed" => t["已预览"],
        "committed" => t["已导入"],
        "refused" => t["有错误，未写入"],
        "failed" => t["失败"],
        _ => status,
    };

    internal static long Me(ClaimsPrincipal user) => user.UserId();
}
