using Xuhui.Crm.Domain.Targets;
using Xuhui.Crm.Web.Shared;

namespace Xuhui.Crm.Web.Features.Targets;

/// <param name="Provisional">True when the year's own count is not entered yet and an earlier year's stands in.</param>
public sealed record LegalPersonBasis(int Year, int Count, string Source, DateOnly? PublishedOn, bool Provisional);

/// <param name="Source">"interim" (set by an admin for that year) or "plan-2025" (the plan's end target).</param>
public sealed record TargetBasis(double? Value, int Year, string Source);

public sealed record LapsingCertificate(long CaseId, long FirmId, string FirmName, string? CertificateNumber, DateOnly ExpiresOn, string? RenewalStage);

/// <param name="Status">"ok", or "insufficient-data" when fewer than the minimum outcomes were observed.</param>
public sealed record StageProjection(
    string Program, string Stage, string StageName, int OpenCases, int Wins, int Losses, int Outcomes, double? Rate, double? ExpectedWins, string Status);

/// <param name="Complete">False when some late stage had too few outcomes: its cases are left out of <paramref name="ExpectedWins"/>.</param>
public sealed record PipelineProjection(
    DateOnly WindowFrom, DateOnly WindowTo, int MinimumOutcomes, List<StageProjection> Stages, double ExpectedWins, bool Complete, string? Note);

public sealed record HnteFigure(
    int Firms,
    LegalPersonBasis? LegalPersons,
    double? Per10k,
    bool Provisional,
    TargetBasis Target,
    int? FirmsNeeded,
    int LapsingBeforeYearEnd,
    List<LapsingCertificate> Lapsing,
    PipelineProjection Projection,
    double ProjectedFirmsAtYearEnd,
    double? ProjectedPer10kAtYearEnd);

public sealed record RdCenterCount(string Type, int Count);

public sealed record RdCenterFigure(
    int Centres,
    bool CountsOpenInnovationPlatforms,
    List<RdCenterCount> ByType,
    TargetBasis Target,
    int? CentresNeeded,
    PipelineProjection Projection,
    double ProjectedCentresAtYearEnd);

public sealed record IndicatorStatus(
    string Code,
    string NameZh,
    string NameEn,
    string Unit,
    bool Core,
    bool Computed,
    double? Baseline2020,
    double? Target2025,
    TargetBasis YearTarget,
    double? Value,
    string? Period,
    string? Source,
    DateOnly? SourceDate,
    bool Provisional,
    double? ProgressPercent);

/// <param name="District">Multi-district deployments: the district counted, or 310000 for the city.</param>
/// <param name="City">City-wide figures only: the ratio of sums and each district's own figures.</param>
/// <param name="DistrictName">Name of <paramref name="District"/> (上海市 for the city).</param>
public sealed record TargetsDto(
    DateOnly AsOf,
    HnteFigure HntePer10k,
    RdCenterFigure ForeignRdCenters,
    List<IndicatorStatus> Indicators,
    string? District = null,
    CityBreakdown? City = null,
    string? DistrictName = null);

/// <param name="Provisional">The district's count for the year is not entered and an earlier year's stands in (or none at all).</param>
public sealed record DistrictFigures(
    string District, string DistrictName, int HnteFirms, int? LegalPersons, int? LegalPersonsYear, bool Provisional, double? HntePer10k, int ForeignRdCenters);

/// <param name="HntePer10k">Σ certified firms ÷ Σ legal-person counts × 10,000 (not an average of the districts' ratios).</param>
/// <param name="DistrictsWithoutCount">Districts with firms but no legal-person count yet: their firms count, their legal persons cannot.</param>
public sealed record CityBreakdown(int HnteFirms, int LegalPersons, double? HntePer10k, List<string> DistrictsWithoutCount, List<DistrictFigures> Districts);

[WritesTo(typeof(LegalPersonCount))]
public sealed record LegalPersonCountRequest(int? Count, string? Source, DateOnly? PublishedOn, string? Note, int? Version);

public sealed record LegalPersonCountDto(int Year, int Count, string Source, DateOnly? PublishedOn, string? Note, int Version, DateTime UpdatedAt, string? District = null)
{
    public static LegalPersonCountDto From(LegalPersonCount l) => new(l.Year, l.Count, l.Source, l.PublishedOn, l.Note, l.Version, l.UpdatedAt, l.DistrictCode);
}

[WritesTo(typeof(IndicatorValue))]
public sealed record IndicatorValueRequest(double? Value, string? Source, DateOnly? SourceDate, string? Note, int? Version);

public sealed record IndicatorValueDto(string Code, string Period, DateOnly PeriodEnd, double Value, string Source, DateOnly SourceDate, string? Note, int Version, DateTime UpdatedAt, string? District = null)
{
    public static IndicatorValueDto From(IndicatorValue v) => new(v.Code, v.Period, v.PeriodEnd, v.Value, v.Source, v.SourceDate, v.Note, v.Version, v.UpdatedAt, v.DistrictCode);
}

[WritesTo(typeof(IndicatorTarget))]
public sealed record IndicatorTargetRequest([property: NumberRange(InputRules.MinTarget, InputRules.MaxAmount, "目标值应在 {0} 至 1e15 之间")] double? Target, string? Note, int? Version);

public sealed record IndicatorTargetDto(string Code, int Year, double Target, string? Note, int Version, string? District = null)
{
    public static IndicatorTargetDto From(IndicatorTarget t) => new(t.Code, t.Year, t.Target, t.Note, t.Version, t.DistrictCode);
}
