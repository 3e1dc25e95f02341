using Microsoft.EntityFrameworkCore;
using Xuhui.Crm.Domain.Targets;
using Xuhui.Crm.Web.Shared;
using Xuhui.Crm.Web.Shared.Localisation;

namespace Xuhui.Crm.Web.Features.Targets;

/// <summary>
/// Enters or corrects an indicator's value for a period (a year, quarter or month) with its source: created when new,
/// else updated against the version the caller read. The two computed indicators refuse entry.
/// </summary>
public static class RecordIndicatorValue
{
    public sealed record Command(string Code, string Period, IndicatorValueRequest Request);

    public static async Task<Outcome<IndicatorValueDto>> HandleAsync(Command command, TargetServices s, CancellationToken ct)
    {
        var (code, period, request) = command;
        var db = s.Db;
        var indicator = s.Indicator(code);
        if (indicator is null)
        {
            return Outcome.NotFound(TargetText.IndicatorNotFound(code));
        }

        var errors = new Errors();
        if (indicator.Computed)
        {
            errors.Add("code", Text.F("「{0}」由系统根据案件数据计算，不能手工录入", Text.IsEnglish ? indicator.NameEn : indicator.NameZh));
        }

        var district = s.WriteDistrict();
        if (district is null)
        {
            errors.Add("district", TargetText.NameTheDistrictOrCity);
        }

        var end = IndicatorPeriod.EndOf(period);
        if (end is null)
        {
            errors.Add("period", Text.T("期间应为 YYYY、YYYY-Qn 或 YYYY-MM"));
        }

        if (request.Value is not { } value || !double.IsFinite(value))
        {
            errors.Add("value", Text.T("必须填写数值"));
        }

        if (string.IsNullOrWhiteSpace(request.Source))
        {
            errors.Add("source", TargetText.SourceRequired);
        }

        if (request.SourceDate is null)
        {
            errors.Add("sourceDate", Text.T("必须注明来源日期"));
        }

        if (errors.Any)
        {
            return Outcome.Invalid(errors);
        }

        var row = await db.IndicatorValues.FirstOrDefaultAsync(v => v.DistrictCode == district && v.Code == code && v.Period == period, ct);
        var created = row is null;
        if (row is null)
        {
            row = new IndicatorValue { Code = code, Period = period, PeriodEnd = end!.Value, DistrictCode = district! };
            db.IndicatorValues.Add(row);
        }
        else if (request.Version != row.Version)
        {
            return Outcome.Conflict(Text.F("{0} {1} 的数值已被修改：当前版本为 {2}", code, period, row.Version), IndicatorValueDto.From(row));
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
            return Outcome.Conflict(Text.F("{0} {1} 的数值已被他人同时修改，请刷新后重试", code, period));
        }

        var dto = IndicatorValueDto.From(row);
        return created ? Outcome.Created($"/api/indicators/{code}/values/{period}", dto) : Outcome.Ok(dto);
    }
}
