using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Xuhui.Crm.Web.Data;
using Xuhui.Crm.Web.Shared;
using Xuhui.Crm.Web.Shared.Localisation;

namespace Xuhui.Crm.Web.Features.Imports;

public sealed record MappingRequest(Dictionary<string, string>? Columns);

public static class ImportsApi
{
    /// <summary>Uploads up to 200 MB: a district's 100,000-row CSV is about 20 MB.</summary>
    public const long MaxUpload = 200L * 1024 * 1024;

    /// <summary>Maps imports and saved mappings.</summary>
    public static RouteGroupBuilder MapImports(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/imports").WithTags("Imports").RequireAuthorization(Policies.Manager);

        // The importer matches firms by credit code across the whole table and writes rows in bulk outside the district
        // filters: until it is district-aware it serves single-district deployments only.
        group.AddEndpointFilter(async (context, next) =>
            context.HttpContext.RequestServices.GetRequiredService<Microsoft.Extensions.Options.IOptions<CrmOptions>>().Value.MultiDistrict
                ? Problems.Conflict(Text.T("多区部署暂不支持批量导入，请在各区单区系统中导入或逐条录入"))
                : await next(context));
        group.MapPost("/", Import).DisableAntiforgery().WithMetadata(new RequestSizeLimitAttribute(MaxUpload), new RequestFormLimitsAttribute { MultipartBodyLengthLimit = MaxUpload });
        group.MapGet("/", History);
        group.MapGet("/{id:long}", Get);
        group.MapGet("/{id:long}/report", Report);
        group.MapGet("/mappings", Mappings);
        group.MapPut("/mappings/{name}", SaveMapping);
        group.MapDelete("/mappings/{name}", DeleteMapping);
        return api;
    }

    public static async Task<Results<Ok<ImportReport>, UnprocessableEntity<ImportReport>, ValidationProblem, ProblemHttpResult>> Import(
        HttpRequest http,
        bool? dryRun,
        bool? skipErrors,
        ClaimsPrincipal user,
        [AsParameters] ImportServices s,
        CancellationToken ct)
    {
        if (!http.HasFormContentType)
        {
            return Problems.Field("file", Text.T("请以 multipart/form-data 上传文件"));
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
                title: Text.T("请求数据有误"),
                detail: "file: " + Text.F("上传文件不能超过 {0} MB", MaxUpload / 1024 / 1024));
        }
        catch (Exception e) when (IsMalformedForm(e))
        {
            return Problems.Field("file", Text.T("上传内容不是有效的 multipart/form-data（分隔符缺失或错误、内容不完整）"));
        }

        phases.Mark("upload");
        var file = form.Files.GetFile("file") ?? (form.Files.Count > 0 ? form.Files[0] : null);
        if (file is null || file.Length == 0)
        {
            return Problems.Field("file", Text.T("请选择要导入的 .xlsx 或 CSV 文件"));
        }

        await using var stream = file.OpenReadStream();
        var command = new RunImport.Command(stream, file.FileName, dryRun ?? false, skipErrors ?? false,
            form["mappingName"].ToString(), form["mapping"].ToString(), form["saveMappingAs"].ToString(), phases);
        var outcome = await RunImport.HandleAsync(command, user.UserId(), s, ct);
        if (!outcome.IsOk)
        {
            return outcome.Kind == OutcomeKind.Invalid ? outcome.Errors!.ToProblem() : Failure(outcome);
        }

        return outcome.Value!.Status == ImportRunDto.Json(ImportStatus.Refused) ? TypedResults.UnprocessableEntity(outcome.Value) : TypedResults.Ok(outcome.Value);
    }

    /// <summary>
    /// A body that says it is a form but is not one (no or a wrong boundary, cut off, garbage, bad part headers) is the
    /// client's fault: a 400 naming the upload, not the parser's exception as a 500.
    /// </summary>
    internal static bool IsMalformedForm(Exception e) => e is InvalidDataException or IOException or BadHttpRequestException or FormatException;

    public static async Task<Ok<List<ImportRunDto>>> History(int? limit, CrmDbContext db, CancellationToken ct) =>
        TypedResults.Ok(await ImportQueries.HistoryAsync(db, limit, ct));

    public static async Task<Results<Ok<ImportRunDto>, ValidationProblem, ProblemHttpResult>> Get(long id, CrmDbContext db, CancellationToken ct) =>
        (await ImportQueries.GetAsync(db, id, ct)).ToOk();

    /// <summary>The error report: every error and possible-duplicate row with column and reason, as XLSX or CSV.</summary>
    public static async Task<Results<EmptyHttpResult, ValidationProblem, ProblemHttpResult>> Report(long id, string? format, HttpContext http, CrmDbContext db, CancellationToken ct)
    {
        var outcome = await ImportQueries.WriteReportAsync(http, db, id, format, ct);
        if (outcome.IsOk)
        {
            return TypedResults.Empty;
        }

        return outcome.Kind == OutcomeKind.Invalid ? outcome.Errors!.ToProblem() : Failure(outcome);
    }

    public static async Task<Ok<List<ImportMappingDto>>> Mappings(CrmDbContext db, CancellationToken ct) =>
        TypedResults.Ok(await ImportMappings.ListAsync(db, ct));

    public static async Task<Results<Ok<ImportMappingDto>, ValidationProblem, ProblemHttpResult>> SaveMapping(
        string name, MappingRequest request, ClaimsPrincipal user, [AsParameters] ImportServices s, CancellationToken ct) =>
        (await SaveImportMapping.HandleAsync(new(name, request.Columns), user.UserId(), s, ct)).ToOk();

    public static async Task<Results<NoContent, ValidationProblem, ProblemHttpResult>> DeleteMapping(string name, [AsParameters] ImportServices s, CancellationToken ct) =>
        (await DeleteImportMapping.HandleAsync(name, s, ct)).ToNoContent();

    /// <summary>A failed outcome other than field errors as its 404 or 409 problem.</summary>
    private static ProblemHttpResult Failure<T>(Outcome<T> outcome) => outcome.Kind == OutcomeKind.NotFound
        ? Problems.NotFound(outcome.Message ?? string.Empty)
        : Problems.Conflict(outcome.Message ?? string.Empty, outcome.Current);
}
