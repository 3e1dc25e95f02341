using System.Globalization;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Xuhui.Crm.Web.Features.Auth;
using Xuhui.Crm.Domain.Targets;
using Xuhui.Crm.Domain.Time;
using Xuhui.Crm.Web.Data;
using Xuhui.Crm.Web.Features.Search;
using Xuhui.Crm.Web.Features.Reference;
using Xuhui.Crm.Web.Shared;

namespace Xuhui.Crm.Web.Features.Targets;

public static class TargetsApi
{
    public static RouteGroupBuilder MapTargetsApi(this RouteGroupBuilder api)
    {
        api.MapGet("/targets", Get).WithTags("Targets");
        var stats = api.MapGroup("/statistics/enterprise-legal-persons").WithTags("Targets");
        stats.MapGet("/", ListLegalPersons);
        stats.MapPut("/{year:int}", PutLegalPersons).RequireAuthorization(Policies.Manager);
        var indicators = api.MapGroup("/indicators").WithTags("Targets");
        indicators.MapGet("/{code}/values", ListValues);
        indicators.MapPut("/{code}/values/{period}", PutValue).RequireAuthorization(Policies.Manager);
        indicators.MapGet("/{code}/targets", ListTargets);
        indicators.MapPut("/{code}/targets/{year:int}", PutTarget).RequireAuthorization(Policies.Admin);
        return api;
    }

    /// <param name="district">City-wide users: one district's figures (default: the city's, with each district's).</param>
    public static async Task<Results<Ok<TargetsDto>, ValidationProblem, ProblemHttpResult>> Get(
        string? asOf, string? district, TargetsService targets, CrmDbContext db, ReferenceData reference, TimeProvider clock, CancellationToken ct)
    {
        if (DistrictScope.Narrow(db, reference, district) is { } notFound)
        {
            return notFound;
        }

        var date = ShanghaiTime.Today(clock);
        if (asOf is not null && !DateOnly.TryParseExact(asOf, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out date))
        {
            return Problems.Field("asOf", "应为 YYYY-MM-DD 格式的有效日期 (a valid date, YYYY-MM-DD)");
        }

        if (!InputRules.IsBusinessDate(date))
        {
            return Problems.Field("asOf", InputRules.DateMessage);
        }

        return TypedResults.Ok(await targets.ComputeAsync(date, ct));
    }

    public static async Task<Results<Ok<List<LegalPersonCountDto>>, ProblemHttpResult>> ListLegalPersons(
        string? district, CrmDbContext db, ReferenceData reference, CancellationToken ct)
    {
        if (DistrictScope.Narrow(db, reference, district) is { } notFound)
        {
            return notFound;
        }

        return TypedResults.Ok(await db.LegalPersonCounts.AsNoTracking().OrderBy(l => l.DistrictCode).ThenBy(l => l.Year)
            .Select(l => new LegalPersonCountDto(l.Year, l.Count, l.Source, l.PublishedOn, l.Note, l.Version, l.UpdatedAt, l.DistrictCode)).ToListAsync(ct));
    }

    public static async Task<Results<Ok<LegalPersonCountDto>, Created<LegalPersonCountDto>, ValidationProblem, ProblemHttpResult>> PutLegalPersons(
        int year, string? district, LegalPersonCountRequest request, CrmDbContext db, ReferenceData reference, IOptions<CrmOptions> options, CancellationToken ct)
    {
        if (DistrictScope.Narrow(db, reference, district) is { } notFound)
        {
            return notFound;
        }

        var errors = new Errors();
        var target = DistrictScope.WriteTarget(db, options.Value);
        if (target is null)
        {
            errors.Add("district", "请用 ?district= 指明录入哪个区的数据 (name the district)");
        }

        if (year is < 2000 or > 2100)
        {
            errors.Add("year", "年份应在 2000–2100 之间");
        }

        if (request.Count is not > 0)
        {
            errors.Add("count", "企业法人数应为正整数 (a positive count is required)");
        }

        if (string.IsNullOrWhiteSpace(request.Source))
        {
            errors.Add("source", "必须注明数据来源 (source is required)");
        }

        if (errors.Any)
        {
            return errors.ToProblem();
        }

        var row = await db.LegalPersonCounts.FirstOrDefaultAsync(l => l.DistrictCode == target && l.Year == year, ct);
        var created = row is null;
        if (row is null)
        {
            row = new LegalPersonCount { Year = year, DistrictCode = target! };
            db.LegalPersonCounts.Add(row);
        }
        else if (request.Version != row.Version)
        {
            return Problems.Conflict($"{year} 年企业法人数已被修改：提交的版本为 {request.Version?.ToString(CultureInfo.InvariantCulture) ?? "空"}，当前版本为 {row.Version}", ToDto(row));
        }

        row.Count = request.Count!.Value;
        row.Source = request.Source!.Trim();
        row.PublishedOn = request.PublishedOn;
        row.Note = request.Note?.Trim();
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException)
        {
            return Problems.Conflict($"{year} 年企业法人数已被他人同时修改，请刷新后重试");
        }

        return created ? TypedResults.Created($"/api/statistics/enterprise-legal-persons/{year}", ToDto(row)) : TypedResults.Ok(ToDto(row));
    }

    public static async Task<Results<Ok<List<IndicatorValueDto>>, ProblemHttpResult>> ListValues(string code, string? district, ReferenceData reference, CrmDbContext db, CancellationToken ct)
    {
        if (DistrictScope.Narrow(db, reference, district, allowCity: true) is { } notFound)
        {
            return notFound;
        }

        if (reference.File.Indicators.All(i => i.Code != code))
        {
            return Problems.NotFound($"指标 {code} 不存在 (indicator not found)");
        }

        return TypedResults.Ok(await db.IndicatorValues.AsNoTracking().Where(v => v.Code == code).OrderBy(v => v.PeriodEnd)
            .Select(v => new IndicatorValueDto(v.Code, v.Period, v.PeriodEnd, v.Value, v.Source, v.SourceDate, v.Note, v.Version, v.UpdatedAt, v.DistrictCode)).ToListAsync(ct));
    }

    public static async Task<Results<Ok<IndicatorValueDto>, Created<IndicatorValueDto>, ValidationProblem, ProblemHttpResult>> PutValue(
        string code, string period, string? district, IndicatorValueRequest request, ReferenceData reference, CrmDbContext db, IOptions<CrmOptions> options, CancellationToken ct)
    {
        if (DistrictScope.Narrow(db, reference, district, allowCity: true) is { } notFound)
        {
            return notFound;
        }

        var indicator = reference.File.Indicators.FirstOrDefault(i => i.Code == code);
        if (indicator is null)
        {
            return Problems.NotFound($"指标 {code} 不存在 (indicator not found)");
        }

        var errors = new Errors();
        if (indicator.Computed)
        {
            errors.Add("code", $"「{indicator.NameZh}」由系统根据案件数据计算，不能手工录入 (computed from case data)");
        }

        var target = DistrictScope.WriteTarget(db, options.Value);
        if (target is null)
        {
            errors.Add("district", "请用 ?district= 指明录入哪个区（或全市 310000）的数据 (name the district)");
        }

        var end = IndicatorPeriod.EndOf(period);
        if (end is null)
        {
            errors.Add("period", "期间应为 YYYY、YYYY-Qn 或 YYYY-MM (a year, quarter or month)");
        }

        if (request.Value is not { } value || !double.IsFinite(value))
        {
            errors.Add("value", "必须填写数值 (a number is required)");
        }

        if (string.IsNullOrWhiteSpace(request.Source))
        {
            errors.Add("source", "必须注明数据来源 (source is required)");
        }

        if (request.SourceDate is null)
        {
            errors.Add("sourceDate", "必须注明来源日期 (the source's date is required)");
        }

        if (errors.Any)
        {
            return errors.ToProblem();
        }

        var row = await db.IndicatorValues.FirstOrDefaultAsync(v => v.DistrictCode == target && v.Code == code && v.Period == period, ct);
        var created = row is null;
        if (row is null)
        {
            row = new IndicatorValue { Code = code, Period = period, PeriodEnd = end!.Value, DistrictCode = target! };
            db.IndicatorValues.Add(row);
        }
        else if (request.Version != row.Version)
        {
            return Problems.Conflict($"{code} {period} 的数值已被修改：当前版本为 {row.Version}", ToDto(row));
        }

        row.Value = request.Value!.Value;
        row.Source = request.Source!.Trim();
        row.SourceDate = request.SourceDate!.Value;
        row.Note = request.Note?.Trim();
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException)
        {
            return Problems.Conflict($"{code} {period} 的数值已被他人同时修改，请刷新后重试");
        }

        return created ? TypedResults.Created($"/api/indicators/{code}/values/{period}", ToDto(row)) : TypedResults.Ok(ToDto(row));
    }

    public static async Task<Results<Ok<List<IndicatorTargetDto>>, ProblemHttpResult>> ListTargets(string code, string? district, ReferenceData reference, CrmDbContext db, CancellationToken ct)
    {
        if (DistrictScope.Narrow(db, reference, district, allowCity: true) is { } notFound)
        {
            return notFound;
        }

        if (reference.File.Indicators.All(i => i.Code != code))
        {
            return Problems.NotFound($"指标 {code} 不存在 (indicator not found)");
        }

        return TypedResults.Ok(await db.IndicatorTargets.AsNoTracking().Where(t => t.Code == code).OrderBy(t => t.Year)
            .Select(t => new IndicatorTargetDto(t.Code, t.Year, t.Target, t.Note, t.Version, t.DistrictCode)).ToListAsync(ct));
    }

    public static async Task<Results<Ok<IndicatorTargetDto>, Created<IndicatorTargetDto>, ValidationProblem, ProblemHttpResult>> PutTarget(
        string code, int year, string? district, IndicatorTargetRequest request, ReferenceData reference, CrmDbContext db, IOptions<CrmOptions> options, CancellationToken ct)
    {
        if (DistrictScope.Narrow(db, reference, district, allowCity: true) is { } notFound)
        {
            return notFound;
        }

        if (reference.File.Indicators.All(i => i.Code != code))
        {
            return Problems.NotFound($"指标 {code} 不存在 (indicator not found)");
        }

        var errors = new Errors();
        if (year is < 2021 or > 2100)
        {
            errors.Add("year", "年份应在 2021–2100 之间");
        }

        if (request.Target is not { } value || !double.IsFinite(value) || value < 0)
        {
            errors.Add("target", "目标值应为非负数 (a non-negative number is required)");
        }

        var target = DistrictScope.WriteTarget(db, options.Value);
        if (target is null)
        {
            errors.Add("district", "请用 ?district= 指明哪个区（或全市 310000）的目标 (name the district)");
        }

        if (errors.Any)
        {
            return errors.ToProblem();
        }

        var row = await db.IndicatorTargets.FirstOrDefaultAsync(t => t.DistrictCode == target && t.Code == code && t.Year == year, ct);
        var created = row is null;
        if (row is null)
        {
            row = new IndicatorTarget { Code = code, Year = year, DistrictCode = target! };
            db.IndicatorTargets.Add(row);
        }
        else if (request.Version != row.Version)
        {
            return Problems.Conflict($"{code} {year} 年目标已被修改：当前版本为 {row.Version}", ToDto(row));
        }

        row.Target = request.Target!.Value;
        row.Note = request.Note?.Trim();
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException)
        {
            return Problems.Conflict($"{code} {year} 年目标已被他人同时修改，请刷新后重试");
        }

        return created ? TypedResults.Created($"/api/indicators/{code}/targets/{year}", ToDto(row)) : TypedResults.Ok(ToDto(row));
    }

    private static LegalPersonCountDto ToDto(LegalPersonCount l) => new(l.Year, l.Count, l.Source, l.PublishedOn, l.Note, l.Version, l.UpdatedAt, l.DistrictCode);

    private static IndicatorValueDto ToDto(IndicatorValue v) => new(v.Code, v.Period, v.PeriodEnd, v.Value, v.Source, v.SourceDate, v.Note, v.Version, v.UpdatedAt, v.DistrictCode);

    private static IndicatorTargetDto ToDto(IndicatorTarget t) => new(t.Code, t.Year, t.Target, t.Note, t.Version, t.DistrictCode);
}
