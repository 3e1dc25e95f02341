using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Xuhui.Crm.Domain.Cases;
using Xuhui.Crm.Domain.Districts;
using Xuhui.Crm.Domain.Firms;
using Xuhui.Crm.Domain.Programs;
using Xuhui.Crm.Domain.Targets;
using Xuhui.Crm.Web.Data;
using Xuhui.Crm.Web.Features.Search;
using Xuhui.Crm.Web.Features.Reference;
using Xuhui.Crm.Web.Shared.Localisation;

namespace Xuhui.Crm.Web.Features.Targets;

/// <summary>
/// The plan's indicators as of any date. Counting rules (documented in the issue notes):
/// <list type="bullet">
/// <item>A firm is in the district on D when its latest status change effective on or before D is active or moved-in
/// (a firm with no history at all falls back to its current status); archived firms never count.</item>
/// <item>An HNTE certificate counts on D when issued on or before D and expiring on or after D (through the expiry date,
/// not after) on a case that reached "certified". Leaving "certified" before the printed expiry (a revocation) ends it
/// the day before; marking it expired on or after the expiry date changes nothing, the dates rule.</item>
/// <item>A foreign R&amp;D centre counts from its recognition date while its case is recognised or upgraded.</item>
/// </list>
/// Everything is counted in SQL; only the short lists (lapsing certificates, late-stage cases) are loaded.
/// </summary>
public sealed partial class TargetsService(CrmDbContext db, ReferenceData reference, IOptions<TargetsOptions> options, IOptions<Shared.CrmOptions>? crm = null)
{
    public const string HnteCode = "hnte-per-10k";
    public const string RdCentresCode = "foreign-rd-centers";
    private const string Certified = "certified";
    private const string Expired = "expired";
    private const string Recognized = "recognized";
    private const string Upgraded = "upgraded";

    private TargetsOptions Options => options.Value;

    private bool MultiDistrict => crm?.Value.MultiDistrict ?? false;

    /// <summary>
    /// The district counted: the context's scope (a district user, or a job or city user who narrowed it); null counts
    /// the whole system (the city in a multi-district deployment, the one district otherwise).
    /// </summary>
    private string? District => db.District;

    /// <summary>Cases for as-of counting: unfiltered, because a firm transferred away still counts for its old district before the transfer.</summary>
    private IQueryable<Case> AllCases => db.Cases.IgnoreQueryFilters().AsNoTracking();

    public async Task<TargetsDto> ComputeAsync(DateOnly asOf, CancellationToken ct)
    {
        (LegalPersonBasis? LegalPersons, CityBreakdown Breakdown)? city = MultiDistrict && District is null ? await CityAsync(asOf, ct) : null;
        var legal = city is { } c ? c.LegalPersons : await LegalPersonsForAsync(asOf.Year, ct);
        var interim = await EnteredFor(db.IndicatorTargets.AsNoTracking()).Where(t => t.Year == asOf.Year).ToDictionaryAsync(t => t.Code, ct);
        var hnte = await HnteAsync(asOf, legal, TargetFor(HnteCode, asOf.Year, interim), ct);
        var rd = await RdCentresAsync(asOf, TargetFor(RdCentresCode, asOf.Year, interim), ct);
        var indicators = await IndicatorsAsync(asOf, hnte, rd, interim, ct);
        var code = MultiDistrict ? District ?? DistrictCodes.City : null;
        var name = code switch
        {
            null => null,
            DistrictCodes.City => "上海市",
            _ => reference.DistrictName(code),
        };
        return new TargetsDto(asOf, hnte, rd, indicators, code, city?.Breakdown, name);
    }

    /// <summary>
    /// City totals for HNTE per 10k are a ratio of sums: certified firms of every district ÷ the districts' legal-person
    /// counts added up (each district's latest count up to the year). Averaging the districts' ratios would weigh a small
    /// district like a large one.
    /// </summary>
    private async Task<(LegalPersonBasis? LegalPersons, CityBreakdown Breakdown)> CityAsync(DateOnly asOf, CancellationToken ct)
    {
        var counts = (await db.LegalPersonCounts.AsNoTracking().Where(l => l.Year <= asOf.Year && l.DistrictCode != DistrictCodes.City).ToListAsync(ct))
            .GroupBy(l => l.DistrictCode).ToDictionary(g => g.Key, g => g.OrderByDescending(l => l.Year).First());
        var firmDistricts = await db.Firms.AsNoTracking().Select(f => f.DistrictCode).Distinct().ToListAsync(ct);
        var codes = firmDistricts.Concat(counts.Keys).Distinct().Order(StringComparer.Ordinal).ToList();
        var rows = new List<DistrictFigures>();
        foreach (var code in codes)
        {
            var firms = await HnteCertificatesValidOn(asOf, code).Select(c => c.FirmId).Distinct().CountAsync(ct);
            var centres = await RdCentresRecognizedOn(asOf, code).CountAsync(ct);
            var count = counts.GetValueOrDefault(code);
            rows.Add(new DistrictFigures(
                code, reference.DistrictName(code), firms, count?.Count, count?.Year, count is null || count.Year != asOf.Year,
                TargetMath.Per10k(firms, count?.Count), centres));
        }

        var missing = rows.Where(r => r.LegalPersons is null).Select(r => r.District).ToList();
        var sum = rows.Sum(r => r.LegalPersons ?? 0);
        LegalPersonBasis? legal = sum == 0 ? null : new LegalPersonBasis(
            rows.Where(r => r.LegalPersonsYear is not null).Min(r => r.LegalPersonsYear!.Value),
            sum,
            Text.F("各区企业法人数合计（{0} 个区）", rows.Count - missing.Count),
            null,
            rows.Any(r => r.Provisional));
        return (legal, new CityBreakdown(rows.Sum(r => r.HnteFirms), sum, TargetMath.Per10k(rows.Sum(r => r.HnteFirms), sum), missing, rows));
    }

    /// <summary>Entered figures of the counted district; the city's own (code 310000) for the city in a multi-district deployment.</summary>
    private IQueryable<T> EnteredFor<T>(IQueryable<T> rows)
        where T : class, IDistrictOwned
    {
        if (!MultiDistrict)
        {
            return rows;
        }

        var code = District ?? DistrictCodes.City;
        return rows.Where(r => r.DistrictCode == code);
    }

    /// <summary>The latest count up to <paramref name="year"/> (of the scope's district: the rows are filtered by it).</summary>
    public async Task<LegalPersonBasis?> LegalPersonsForAsync(int year, CancellationToken ct)
    {
        var row = await db.LegalPersonCounts.AsNoTracking().Where(l => l.Year <= year).OrderByDescending(l => l.Year).FirstOrDefaultAsync(ct);
        return row is null ? null : new LegalPersonBasis(row.Year, row.Count, row.Source, row.PublishedOn, row.Year != year);
    }

    /// <summary>Cases whose firm is in the district on <paramref name="d"/>.</summary>
    public static IQueryable<Case> InDistrict(IQueryable<Case> cases, DateOnly d) => cases.Where(c => !c.Firm!.IsArchived
        && (c.Firm.StatusChanges.Where(s => s.EffectiveOn <= d).OrderByDescending(s => s.EffectiveOn).ThenByDescending(s => s.Id)
                .Select(s => s.Status == FirmStatus.Active || s.Status == FirmStatus.MovedIn).FirstOrDefault()
            || (!c.Firm.StatusChanges.Any() && (c.Firm.Status == FirmStatus.Active || c.Firm.Status == FirmStatus.MovedIn))));

    /// <summary>
    /// Cases whose firm is in <paramref name="district"/> on <paramref name="d"/>: the district of the firm's latest status
    /// change on or before the date (rows without one: the firm's current district); null: in any district.
    /// </summary>
    public static IQueryable<Case> InDistrict(IQueryable<Case> cases, DateOnly d, string? district) => district is null
        ? InDistrict(cases, d)
        : cases.Where(c => !c.Firm!.IsArchived
            && (c.Firm.StatusChanges.Where(s => s.EffectiveOn <= d).OrderByDescending(s => s.EffectiveOn).ThenByDescending(s => s.Id)
                    .Select(s => (s.Status == FirmStatus.Active || s.Status == FirmStatus.MovedIn) && (s.DistrictCode ?? c.Firm.DistrictCode) == district)
                    .FirstOrDefault()
                || (!c.Firm.StatusChanges.Any() && (c.Firm.Status == FirmStatus.Active || c.Firm.Status == FirmStatus.MovedIn) && c.Firm.DistrictCode == district)));

    /// <summary>HNTE cases holding a certificate valid on <paramref name="d"/>, of firms in the scope's district on that date.</summary>
    public IQueryable<Case> HnteCertificatesValidOn(DateOnly d) => HnteCertificatesValidOn(d, District);

    public IQueryable<Case> HnteCertificatesValidOn(DateOnly d, string? district) => InDistrict(
        AllCases.Where(c => c.Program == ProgramCatalog.Hnte
            && (c.Stage == Certified || c.Stage == Expired)
            && c.CertificateIssuedOn <= d && c.CertificateExpiresOn >= d
            && !c.Transitions.Any(t => t.FromStage == Certified && t.On <= d && t.On < c.CertificateExpiresOn)),
        d,
        district);

    /// <summary>Recognised foreign R&amp;D centres on <paramref name="d"/>, honouring the open-innovation-platform setting.</summary>
    public IQueryable<Case> RdCentresRecognizedOn(DateOnly d) => RdCentresRecognizedOn(d, District);

    public IQueryable<Case> RdCentresRecognizedOn(DateOnly d, string? district)
    {
        var countPlatforms = Options.CountOpenInnovationPlatforms;
        var platform = Options.OpenInnovationPlatformType;
        return InDistrict(
            AllCases.Where(c => c.Program == ProgramCatalog.ForeignRdCenter
                && (c.Stage == Recognized || c.Stage == Upgraded)
                && c.RecognizedOn <= d
                && (countPlatforms || c.RdCenterType == null || c.RdCenterType != platform)),
            d,
            district);
    }

    private async Task<HnteFigure> HnteAsync(DateOnly d, LegalPersonBasis? legal, TargetBasis target, CancellationToken ct)
    {
        var firms = await HnteCertificatesValidOn(d).Select(c => c.FirmId).Distinct().CountAsync(ct);
        var yearEnd = new DateOnly(d.Year, 12, 31);
        var lapsing = await HnteCertificatesValidOn(d)
            .Where(c => c.CertificateExpiresOn < yearEnd)
            .Where(c => !AllCases.Any(o => o.FirmId == c.FirmId && o.Program == ProgramCatalog.Hnte && o.Id != c.Id
                                           && o.Stage == Certified && o.CertificateExpiresOn > c.CertificateExpiresOn))
            .OrderBy(c => c.CertificateExpiresOn).ThenBy(c => c.Id)
            .Select(c => new LapsingCertificate(
                c.Id,
                c.FirmId,
                c.Firm!.Name,
                c.CertificateNumber,
                c.CertificateExpiresOn!.Value,
                AllCases.Where(o => o.FirmId == c.FirmId && o.Program == ProgramCatalog.Hnte && o.IsOpen).Select(o => o.Stage).FirstOrDefault()))
            .ToListAsync(ct);

        // A firm with two lapsing certificates is one firm lost.
        var lapsingFirms = lapsing.Select(l => l.FirmId).Distinct().Count();
        var projection = await ProjectAsync(ProgramCatalog.Hnte, d, ct);
        var projected = firms - lapsingFirms + projection.ExpectedWins;
        return new HnteFigure(
            firms,
            legal,
            TargetMath.Per10k(firms, legal?.Count),
            legal?.Provisional ?? true,
            target,
            TargetMath.FirmsNeeded(firms, legal?.Count, target.Value),
            lapsingFirms,
            lapsing,
            projection,
            Math.Round(projected, 2),
            legal is { Count: > 0 } ? Math.Round(projected * 10_000 / legal.Count, 2) : null);
    }

    private async Task<RdCenterFigure> RdCentresAsync(DateOnly d, TargetBasis target, CancellationToken ct)
    {
        var byType = await RdCentresRecognizedOn(d).GroupBy(c => c.RdCenterType)
            .Select(g => new { Type = g.Key, Count = g.Count() }).ToListAsync(ct);
        var total = byType.Sum(t => t.Count);
        var projection = await ProjectAsync(ProgramCatalog.ForeignRdCenter, d, ct);
        return new RdCenterFigure(
            total,
            Options.CountOpenInnovationPlatforms,
            byType.Select(t => new RdCenterCount(t.Type ?? "unspecified", t.Count)).OrderBy(t => t.Type, StringComparer.Ordinal).ToList(),
            target,
            TargetMath.CountNeeded(total, target.Value),
            projection,
            Math.Round(total + projection.ExpectedWins, 2));
    }

    public TargetBasis TargetFor(string code, int year, IReadOnlyDictionary<string, IndicatorTarget> interim)
    {
        if (interim.TryGetValue(code, out var t))
        {
            return new TargetBasis(t.Target, year, "interim");
        }

        var plan = reference.File.Indicators.FirstOrDefault(i => i.Code == code);
        return new TargetBasis(plan?.Target2025 is { } v ? (double)v : null, 2025, "plan-2025");
    }

    private async Task<List<IndicatorStatus>> IndicatorsAsync(
        DateOnly d, HnteFigure hnte, RdCenterFigure rd, Dictionary<string, IndicatorTarget> interim, CancellationToken ct)
    {
        var values = await EnteredFor(db.IndicatorValues.AsNoTracking()).Where(v => v.PeriodEnd <= d).ToListAsync(ct);
        var latest = values.GroupBy(v => v.Code).ToDictionary(g => g.Key, g => g.OrderByDescending(v => v.PeriodEnd).First());
        var list = new List<IndicatorStatus>();
        foreach (var i in reference.File.Indicators)
        {
            var target = TargetFor(i.Code, d.Year, interim);
            double? value;
            string? period, source;
            DateOnly? sourceDate;
            var provisional = false;
            if (i.Code == HnteCode)
            {
                value = hnte.Per10k;
                period = d.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
                source = hnte.LegalPersons is { } l ? Text.F("CRM 案件数据 ÷ {0} 年企业法人数（{1}）", l.Year, l.Source) : Text.T("CRM 案件数据（缺企业法人数）");
                sourceDate = d;
                provisional = hnte.Provisional;
            }
            else if (i.Code == RdCentresCode)
            {
                value = rd.Centres;
                period = d.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
                source = Text.T("CRM 案件数据");
                sourceDate = d;
            }
            else if (latest.TryGetValue(i.Code, out var v))
            {
                (value, period, source, sourceDate) = (v.Value, v.Period, v.Source, v.SourceDate);
            }
            else
            {
                (value, period, source, sourceDate) = (null, null, null, null);
            }

            double? progress = value is { } x && target.Value is { } t and not 0 ? Math.Round(x / t * 100, 1) : null;
            list.Add(new IndicatorStatus(
                i.Code, i.NameZh, i.NameEn, i.Unit, i.Core, i.Computed,
                i.Baseline2020 is { } b ? (double)b : null,
                i.Target2025 is { } t25 ? (double)t25 : null,
                target, value, period, source, sourceDate, provisional, progress));
        }

        return list;
    }
}
