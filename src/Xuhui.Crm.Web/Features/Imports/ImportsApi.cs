using System.Security.Claims;
using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Xuhui.Crm.Web.Data;
using Xuhui.Crm.Web.Features.Search;
using Xuhui.Crm.Web.Shared;
using Xuhui.Crm.Web.Features.Exports;
using Xuhui.Crm.Web.Features.Firms;

namespace Xuhui.Crm.Web.Features.Imports;

public sealed record MappingRequest(Dictionary<string, string>? Columns);

public static class ImportsApi
{
    /// <summary>Uploads up to 200 MB: a district's 100,000-row CSV is about 20 MB.</summary>
    public const long MaxUpload = 200L * 1024 * 1024;

    /// <summary>Maps imports, saved mappings, firm merges and exports; the one line in CrmHost.</summary>
    public static RouteGroupBuilder MapImports(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/imports").WithTags("Imports").RequireAuthorization(Policies.Manager);

        // The importer matches firms by credit code across the whole table and writes rows in bulk outside the district
        // filters: until it is district-aware it serves single-district deployments only.
        group.AddEndpointFilter(async (context, next) =>
            context.HttpContext.RequestServices.GetRequiredService<Microsoft.Extensions.Options.IOptions<CrmOptions>>().Value.MultiDistrict
                ? Problems.Conflict("多区部署暂不支持批量导入，请在各区单区系统中导入或逐条录入 (imports are not available in a multi-district deployment yet)")
                : await next(context));
        group.MapPost("/", Import).DisableAntiforgery().WithMetadata(new RequestSizeLimitAttribute(MaxUpload), new RequestFormLimitsAttribute { MultipartBodyLengthLimit = MaxUpload });
        group.MapGet("/", History);
        group.MapGet("/{id:long}", Get);
        group.MapGet("/{id:long}/report", Report);
        group.MapGet("/mappings", Mappings);
        group.MapPut("/mappings/{name}", SaveMapping);
        group.MapDelete("/mappings/{name}", DeleteMapping);
        api.MapFirmMerge();
        api.MapExports();
        return api;
    }

    public static async Task<Results<Ok<ImportReport>, UnprocessableEntity<ImportReport>, ValidationProblem, ProblemHttpResult>> Import(
        HttpRequest http,
        bool? dryRun,
        bool? skipErrors,
        ClaimsPrincipal user,
        CrmDbContext db,
        ImportService imports,
        CancellationToken ct)
    {
        if (!http.HasFormContentType)
        {
            return Problems.Field("file", "请以 multipart/form-data 上传文件 (upload the file as multipart/form-data)");
        }

        var phases = new ImportPhases();
        IFormCollection form;
        try
        {
            form = await http.ReadFormAsync(ct);
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return TypedResults.Problem(
                statusCode: StatusCodes.Status413PayloadTooLarge,
                title: "请求数据有误 (invalid request)",
                detail: $"file: 上传文件不能超过 {MaxUpload / 1024 / 1024} MB (the upload is too large)");
        }
        catch (Exception e) when (IsMalformedForm(e))
        {
            return Problems.Field("file", "上传内容不是有效的 multipart/form-data（分隔符缺失或错误、内容不完整） (malformed multipart body)");
        }

        phases.Mark("upload");
        var file = form.Files.GetFile("file") ?? (form.Files.Count > 0 ? form.Files[0] : null);
        if (file is null || file.Length == 0)
        {
            return Problems.Field("file", "请选择要导入的 .xlsx 或 CSV 文件 (a non-empty file is required)");
        }

        var mapping = new Dictionary<string, string>(StringComparer.Ordinal);
        var mappingName = form["mappingName"].ToString().Trim();
        if (mappingName.Length > 0)
        {
            var saved = await db.ImportMappings.AsNoTracking().FirstOrDefaultAsync(m => m.Name == mappingName, ct);
            if (saved is null)
            {
                return Problems.Field("mappingName", $"没有名为「{mappingName}」的列映射 (no saved mapping of that name)");
            }

            foreach (var (k, v) in saved.Columns)
            {
                mapping[k] = v;
            }
        }

        var explicitMapping = new Dictionary<string, string>(StringComparer.Ordinal);
        if (form["mapping"].ToString() is { Length: > 0 } json)
        {
            var errors = ParseMapping(json, explicitMapping);
            if (errors is not null)
            {
                return Problems.Field("mapping", errors);
            }
        }

        foreach (var (k, v) in explicitMapping)
        {
            mapping[k] = v;
        }

        var saveAs = form["saveMappingAs"].ToString().Trim();
        if (saveAs.Length > 0)
        {
            if (saveAs.Length > 100)
            {
                return Problems.Field("saveMappingAs", "名称不超过100字 (at most 100 characters)");
            }

            await UpsertMappingAsync(db, saveAs, mapping, user.UserId(), ct);
        }

        try
        {
            await using var stream = file.OpenReadStream();
            var report = await imports.RunAsync(stream, new ImportRequest(Path.GetFileName(file.FileName), dryRun ?? false, skipErrors ?? false, mapping, phases), user.UserId(), ct);
            return report.Status == ImportRunDto.Json(ImportStatus.Refused) ? TypedResults.UnprocessableEntity(report) : TypedResults.Ok(report);
        }
        catch (ImportRejectedException e)
        {
            return Problems.Field("file", e.Message);
        }
        catch (ImportConflictException e)
        {
            return Problems.Conflict(e.Message);
        }
    }

    /// <summary>
    /// A body that says it is a form but is not one (no or a wrong boundary, cut off, garbage, bad part headers) is the
    /// client's fault: a 400 naming the upload, not the parser's exception as a 500.
    /// </summary>
    internal static bool IsMalformedForm(Exception e) => e is InvalidDataException or IOException or BadHttpRequestException or FormatException;

    private static string? ParseMapping(string json, Dictionary<string, string> into)
    {
        Dictionary<string, string>? parsed;
        try
        {
            parsed = JsonSerializer.Deserialize<Dictionary<string, string>>(json);
        }
        catch (JsonException)
        {
            return "应为 JSON 对象：{\"表头或列字母\": \"字段名或 ignore\"} (a JSON object of header → field or ignore)";
        }

        foreach (var (header, target) in parsed ?? [])
        {
            if (!ImportFields.TryParseTarget(target, out _))
            {
                return $"「{header}」的目标「{target}」无效，应为 ignore 或：{string.Join(", ", Enum.GetValues<ImportField>().Select(ImportFields.Camel))}";
            }

            into[header] = target;
        }

        return null;
    }

    private static async Task UpsertMappingAsync(CrmDbContext db, string name, Dictionary<string, string> columns, long userId, CancellationToken ct)
    {
        var mapping = await db.ImportMappings.FirstOrDefaultAsync(m => m.Name == name, ct);
        if (mapping is null)
        {
            mapping = new ImportMapping { Name = name };
            db.ImportMappings.Add(mapping);
        }

        mapping.Columns = new Dictionary<string, string>(columns);
        mapping.UpdatedById = userId;
        mapping.UpdatedAt = db.Clock.GetUtcNow().UtcDateTime;
        await db.SaveChangesAsync(ct);
        db.ChangeTracker.Clear();
    }

    public static async Task<Ok<List<ImportRunDto>>> History(int? limit, CrmDbContext db, CancellationToken ct)
    {
        var take = Math.Clamp(limit ?? 50, 1, 500);
        var runs = await db.ImportRuns.AsNoTracking().OrderByDescending(r => r.Id).Take(take)
            .Select(r => new { Run = r, UserName = db.Users.Where(u => u.Id == r.UserId).Select(u => u.DisplayName).FirstOrDefault() })
            .ToListAsync(ct);
        return TypedResults.Ok(runs.Select(r => ImportRunDto.From(r.Run, r.UserName)).ToList());
    }

    public static async Task<Results<Ok<ImportRunDto>, ProblemHttpResult>> Get(long id, CrmDbContext db, CancellationToken ct)
    {
        var run = await db.ImportRuns.AsNoTracking().FirstOrDefaultAsync(r => r.Id == id, ct);
        if (run is null)
        {
            return Problems.NotFound($"导入 {id} 不存在 (import not found)");
        }

        var name = await db.Users.Where(u => u.Id == run.UserId).Select(u => u.DisplayName).FirstOrDefaultAsync(ct);
        return TypedResults.Ok(ImportRunDto.From(run, name));
    }

    /// <summary>The error report: every error and possible-duplicate row with column and reason, as XLSX or CSV.</summary>
    public static async Task<Results<EmptyHttpResult, ValidationProblem, ProblemHttpResult>> Report(long id, string? format, HttpContext http, CrmDbContext db, CancellationToken ct)
    {
        if (!SheetExport.TryFormat(format, out var kind))
        {
            return Problems.Field("format", "取值应为 xlsx 或 csv (one of: xlsx, csv)");
        }

        if (!await db.ImportRuns.AnyAsync(r => r.Id == id, ct))
        {
            return Problems.NotFound($"导入 {id} 不存在 (import not found)");
        }

        var issues = db.ImportIssues.AsNoTracking().Where(i => i.ImportRunId == id).OrderBy(i => i.Row).ThenBy(i => i.Id)
            .Select(i => new object?[] { i.Row, OutcomeName(i.Outcome), i.Column, i.Header, i.Message, i.CreditCode, i.Name, i.FirmId });
        await SheetExport.WriteAsync(http, kind, $"import-{id}-errors", ["行号", "结果", "列", "表头", "原因", "统一社会信用代码", "企业名称", "企业ID"], issues, ct);
        return TypedResults.Empty;
    }

    private static string OutcomeName(string outcome) => outcome == Outcomes.Error ? "错误" : outcome == Outcomes.PossibleDuplicate ? "可能重复" : outcome;

    public static async Task<Ok<List<ImportMappingDto>>> Mappings(CrmDbContext db, CancellationToken ct) =>
        TypedResults.Ok((await db.ImportMappings.AsNoTracking().OrderBy(m => m.Name).ToListAsync(ct))
            .Select(m => new ImportMappingDto(m.Name, m.Columns, m.UpdatedAt)).ToList());

    public static async Task<Results<Ok<ImportMappingDto>, ValidationProblem>> SaveMapping(string name, MappingRequest request, ClaimsPrincipal user, CrmDbContext db, CancellationToken ct)
    {
        var columns = new Dictionary<string, string>(StringComparer.Ordinal);
        var error = ParseMapping(JsonSerializer.Serialize(request.Columns ?? []), columns);
        if (error is not null)
        {
            return Problems.Field("columns", error);
        }

        if (string.IsNullOrWhiteSpace(name) || name.Length > 100)
        {
            return Problems.Field("name", "名称必填，不超过100字 (required, at most 100 characters)");
        }

        await UpsertMappingAsync(db, name.Trim(), columns, user.UserId(), ct);
        return TypedResults.Ok(new ImportMappingDto(name.Trim(), columns, db.Clock.GetUtcNow().UtcDateTime));
    }

    public static async Task<Results<NoContent, ProblemHttpResult>> DeleteMapping(string name, CrmDbContext db, CancellationToken ct) =>
        await db.ImportMappings.Where(m => m.Name == name).ExecuteDeleteAsync(ct) > 0
            ? TypedResults.NoContent()
            : Problems.NotFound($"没有名为「{name}」的列映射 (mapping not found)");
}
