using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Xuhui.Crm.Domain.Targets;
using Xuhui.Crm.Web.Shared;
using Xuhui.Crm.Web.Shared.Localisation;

namespace Xuhui.Crm.Web.Features.Targets;

/// <summary>
/// Enters or corrects a year's enterprise legal-person count (the HNTE-per-10k denominator) of the scope's district:
/// a new year is created, an existing one is updated against the version the caller read.
/// </summary>
public static class RecordLegalPersonCount
{
    public sealed record Command(int Year, LegalPersonCountRequest Request);

    public static async Task<Outcome<LegalPersonCountDto>> HandleAsync(Command command, TargetServices s, CancellationToken ct)
    {
        var (year, request) = command;
        var db = s.Db;
        var errors = new Errors();
        var district = s.WriteDistrict();
        if (district is null)
        {
            errors.Add("district", TargetText.NameTheDistrict);
        }

        if (year is < 2000 or > 2100)
        {
            errors.Add("year", TargetText.YearBetween(2000, 2100));
        }

        if (request.Count is not > 0)
        {
            errors.Add("count", Text.T("企业法人数应为正整数"));
        }

        if (string.IsNullOrWhiteSpace(request.Source))
        {
            errors.Add("source", TargetText.SourceRequired);
        }

        if (errors.Any)
        {
            return Outcome.Invalid(errors);
        }

        var row = await db.LegalPersonCounts.FirstOrDefaultAsync(l => l.DistrictCode == district && l.Year == year, ct);
        var created = row is null;
        if (row is null)
        {
            row = new LegalPersonCount { Year = year, DistrictCode = district! };
            db.LegalPersonCounts.Add(row);
        }
        else if (request.Version != row.Version)
        {
            var sent = request.Version?.ToString(CultureInfo.InvariantCulture) ?? Text.T("空");
            return Outcome.Conflict(Text.F("{0} 年企业法人数已被修改：提交的版本为 {1}，当前版本为 {2}", year, sent, row.Version), LegalPersonCountDto.From(row));
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
            return Outcome.Conflict(Text.F("{0} 年企业法人数已被他人同时修改，请刷新后重试", year));
        }

        var dto = LegalPersonCountDto.From(row);
        return created ? Outcome.Created($"/api/statistics/enterprise-legal-persons/{year}", dto) : Outcome.Ok(dto);
    }
}
