using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Xuhui.Crm.Domain.Targets;
using Xuhui.Crm.Domain.Time;
using Xuhui.Crm.Web.Shared;
using Xuhui.Crm.Web.Shared.Localisation;

namespace Xuhui.Crm.Web.Features.Targets;

/// <summary>The targets reads the API and the pages share (the district is narrowed by the caller beforehand).</summary>
public static class TargetQueries
{
    /// <summary>The indicators as of <paramref name="asOf"/> (YYYY-MM-DD; null: today in Shanghai).</summary>
    public static async Task<Outcome<TargetsDto>> AsOfAsync(string? asOf, TargetServices s, CancellationToken ct)
    {
        var date = ShanghaiTime.Today(s.Clock);
        if (asOf is not null && !DateOnly.TryParseExact(asOf, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out date))
        {
            return Outcome.Invalid("asOf", Text.T("应为 YYYY-MM-DD 格式的有效日期"));
        }

        if (!InputRules.IsBusinessDate(date))
        {
            return Outcome.Invalid("asOf", InputRules.DateMessage);
        }

        return Outcome.Ok(await s.Targets.ComputeAsync(date, ct));
    }

    public static Task<List<LegalPersonCountDto>> LegalPersonCountsAsync(TargetServices s, CancellationToken ct) =>
        s.Db.LegalPersonCounts.AsNoTracking().OrderBy(l => l.DistrictCode).ThenBy(l => l.Year)
            .Select(l => new LegalPersonCountDto(l.Year, l.Count, l.Source, l.PublishedOn, l.Note, l.Version, l.UpdatedAt, l.DistrictCode)).ToListAsync(ct);

    public static async Task<Outcome<List<IndicatorValueDto>>> ValuesAsync(string code, TargetServices s, CancellationToken ct)
    {
        if (s.Indicator(code) is null)
        {
            return Outcome.NotFound(TargetText.IndicatorNotFound(code));
        }

        return Outcome.Ok(await s.Db.IndicatorValues.AsNoTracking().Where(v => v.Code == code).OrderBy(v => v.PeriodEnd)
            .Select(v => new IndicatorValueDto(v.Code, v.Period, v.PeriodEnd, v.Value, v.Source, v.SourceDate, v.Note, v.Version, v.UpdatedAt, v.DistrictCode)).ToListAsync(ct));
    }

    public static async Task<Outcome<List<IndicatorTargetDto>>> TargetsAsync(string code, TargetServices s, CancellationToken ct)
    {
        if (s.Indicator(code) is null)
        {
            return Outcome.NotFound(TargetText.IndicatorNotFound(code));
        }

        return Outcome.Ok(await s.Db.IndicatorTargets.AsNoTracking().Where(t => t.Code == code).OrderBy(t => t.Year)
            .Select(t => new IndicatorTargetDto(t.Code, t.Year, t.Target, t.Note, t.Version, t.DistrictCode)).ToListAsync(ct));
    }

    /// <summary>Every entered value, by indicator and latest period first (the data page's list).</summary>
    public static Task<List<IndicatorValueDto>> AllValuesAsync(TargetServices s, CancellationToken ct) =>
        s.Db.IndicatorValues.AsNoTracking().OrderBy(v => v.Code).ThenByDescending(v => v.PeriodEnd)
            .Select(v => new IndicatorValueDto(v.Code, v.Period, v.PeriodEnd, v.Value, v.Source, v.SourceDate, v.Note, v.Version, v.UpdatedAt, null)).ToListAsync(ct);

    /// <summary>Every interim target, by indicator and year (the data page's list).</summary>
    public static Task<List<IndicatorTargetDto>> AllTargetsAsync(TargetServices s, CancellationToken ct) =>
        s.Db.IndicatorTargets.AsNoTracking().OrderBy(g => g.Code).ThenBy(g => g.Year)
            .Select(g => new IndicatorTargetDto(g.Code, g.Year, g.Target, g.Note, g.Version, null)).ToListAsync(ct);
}
