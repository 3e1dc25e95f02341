using Microsoft.EntityFrameworkCore;
using Xuhui.Crm.Web.Data;
using Xuhui.Crm.Web.Features.Exports;
using Xuhui.Crm.Web.Shared;
using Xuhui.Crm.Web.Shared.Localisation;

namespace Xuhui.Crm.Web.Features.Imports;

/// <summary>The reads of the import history and its error reports, shared by the API and the page.</summary>
public static class ImportQueries
{
    public static string ImportNotFound(long id) => Text.F("导入 {0} 不存在", id);

    public static async Task<List<ImportRunDto>> HistoryAsync(CrmDbContext db, int? limit, CancellationToken ct)
    {
        var take = Math.Clamp(limit ?? 50, 1, 500);
        var runs = await db.ImportRuns.AsNoTracking().OrderByDescending(r => r.Id).Take(take)
            .Select(r => new { Run = r, UserName = db.Users.Where(u => u.Id == r.UserId).Select(u => u.DisplayName).FirstOrDefault() })
            .ToListAsync(ct);
        return runs.Select(r => ImportRunDto.From(r.Run, r.UserName)).ToList();
    }

    public static async Task<Outcome<ImportRunDto>> GetAsync(CrmDbContext db, long id, CancellationToken ct)
    {
        var run = await db.ImportRuns.AsNoTracking().FirstOrDefaultAsync(r => r.Id == id, ct);
        if (run is null)
        {
            return Outcome.NotFound(ImportNotFound(id));
        }

        var name = await db.Users.Where(u => u.Id == run.UserId).Select(u => u.DisplayName).FirstOrDefaultAsync(ct);
        return Outcome.Ok(ImportRunDto.From(run, name));
    }

    /// <summary>
    /// Streams the error report (every error and possible-duplicate row with column and reason) as XLSX or CSV into
    /// the response; a failed outcome means nothing was written.
    /// </summary>
    public static async Task<Outcome<long>> WriteReportAsync(HttpContext http, CrmDbContext db, long id, string? format, CancellationToken ct)
    {
        if (!SheetExport.TryFormat(format, out var kind))
        {
            return Outcome.Invalid("format", Text.T("取值应为 xlsx 或 csv"));
        }

        if (!await db.ImportRuns.AnyAsync(r => r.Id == id, ct))
        {
            return Outcome.NotFound(ImportNotFound(id));
        }

        var issues = db.ImportIssues.AsNoTracking().Where(i => i.ImportRunId == id).OrderBy(i => i.Row).ThenBy(i => i.Id)
            .Select(i => new object?[] { i.Row, OutcomeName(i.Outcome), i.Column, i.Header, i.Message, i.CreditCode, i.Name, i.FirmId });
        await SheetExport.WriteAsync(http, kind, $"import-{id}-errors", ["行号", "结果", "列", "表头", "原因", "统一社会信用代码", "企业名称", "企业ID"], issues, ct);
        return Outcome.Ok(id);
    }

    // The report's sheet is the district's working file: its headings and outcome names stay Chinese.
    private static string OutcomeName(string outcome) => outcome == Outcomes.Error ? "错误" : outcome == Outcomes.PossibleDuplicate ? "可能重复" : outcome;
}
