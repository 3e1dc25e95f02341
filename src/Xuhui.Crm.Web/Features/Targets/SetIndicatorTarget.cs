using Microsoft.EntityFrameworkCore;
using Xuhui.Crm.Domain.Targets;
using Xuhui.Crm.Web.Shared;
using Xuhui.Crm.Web.Shared.Localisation;

namespace Xuhui.Crm.Web.Features.Targets;

/// <summary>
/// Sets an indicator's interim target for a year (admins), which replaces the plan's 2025 target in that year's
/// progress: created when new, else updated against the version the caller read.
/// </summary>
public static class SetIndicatorTarget
{
    public sealed record Command(string Code, int Year, IndicatorTargetRequest Request);

    public static async Task<Outcome<IndicatorTargetDto>> HandleAsync(Command command, TargetServices s, CancellationToken ct)
    {
        var (code, year, request) = command;
        var db = s.Db;
        if (s.Indicator(code) is null)
        {
            return Outcome.NotFound(TargetText.IndicatorNotFound(code));
        }

        var errors = new Errors();
        if (year is < 2021 or > 2100)
        {
            errors.Add("year", TargetText.YearBetween(2021, 2100));
        }

        if (request.Target is not { } value || !double.IsFinite(value) || value < 0)
        {
            errors.Add("target", Text.T("目标值应为非负数"));
        }

        var district = s.WriteDistrict();
        if (district is null)
        {
            errors.Add("district", TargetText.NameTheTargetDistrict);
        }

        if (errors.Any)
        {
            return Outcome.Invalid(errors);
        }

        var row = await db.IndicatorTargets.FirstOrDefaultAsync(t => t.DistrictCode == district && t.Code == code && t.Year == year, ct);
        var created = row is null;
        if (row is null)
        {
            row = new IndicatorTarget { Code = code, Year = year, DistrictCode = district! };
            db.IndicatorTargets.Add(row);
        }
        else if (request.Version != row.Version)
        {
            return Outcome.Conflict(Text.F("{0} {1} 年目标已被修改：当前版本为 {2}", code, year, row.Version), IndicatorTargetDto.From(row));
        }

        row.Target = request.Target!.Value;
        row.Note = request.Note?.Trim();
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException)
        {
            return Outcome.Conflict(Text.F("{0} {1} 年目标已被他人同时修改，请刷新后重试", code, year));
        }

        var dto = IndicatorTargetDto.From(row);
        return created ? Outcome.Created($"/api/indicators/{code}/targets/{year}", dto) : Outcome.Ok(dto);
    }
}
