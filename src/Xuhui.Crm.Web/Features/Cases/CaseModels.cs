using Xuhui.Crm.Domain.Cases;
using Xuhui.Crm.Domain.Programs;
using Xuhui.Crm.Web.Shared;

namespace Xuhui.Crm.Web.Features.Cases;

[WritesTo(typeof(Case))]
public sealed record CreateCaseRequest(string? Program, string? Stage, long? OwnerId, DateOnly? On, string? Note);

[WritesTo(typeof(CaseTransition))]
public sealed record TransitionRequest(string? FromStage, string? ToStage, DateOnly? On, string? Note);

[WritesTo(typeof(Case))]
public sealed record CertificateRequest(int? Version, [property: WritesColumn(nameof(Case.CertificateNumber))] string? Number, DateOnly? IssuedOn, DateOnly? ExpiresOn);

public sealed record AnnualReportRequest(int? Year, DateOnly? FiledOn);

/// <summary>Programme data a case owner maintains; PUT replaces all of it.</summary>
[WritesTo(typeof(Case))]
public sealed record CaseUpdateRequest(
    int? Version,
    long? OwnerId,
    string? LittleGiantTier,
    int? Cohort,
    DateOnly? ProjectStartOn,
    DateOnly? ProjectEndOn,
    int? EvaluationScore,
    string? RdCenterType,
    DateOnly? RecognizedOn,
    string? TargetBoard,
    string? Sponsor,
    DateOnly? FiledOn);

public sealed record TransitionDto(long Id, string? FromStage, string ToStage, DateOnly On, string? Note, long? ById, DateTime At);

public sealed record CaseDto
{
    public long Id { get; init; }
    public int Version { get; init; }
    public long FirmId { get; init; }
    public string? FirmName { get; init; }
    public string Program { get; init; } = string.Empty;
    public string? ProgramName { get; init; }
    public string Stage { get; init; } = string.Empty;
    public string? StageName { get; init; }
    public bool IsOpen { get; init; }
    public DateOnly StageSince { get; init; }
    public int DaysInStage { get; init; }
    public DateOnly OpenedOn { get; init; }
    public DateOnly? ClosedOn { get; init; }
    public long OwnerId { get; init; }
    public string? CertificateNumber { get; init; }
    public DateOnly? CertificateIssuedOn { get; init; }
    public DateOnly? CertificateExpiresOn { get; init; }
    public string? LittleGiantTier { get; init; }
    public int? Cohort { get; init; }
    public DateOnly? ProjectStartOn { get; init; }
    public DateOnly? ProjectEndOn { get; init; }
    public int? EvaluationScore { get; init; }
    public string? EvaluationGrade { get; init; }
    public string? RdCenterType { get; init; }
    public DateOnly? RecognizedOn { get; init; }
    public string? TargetBoard { get; init; }
    public string? Sponsor { get; init; }
    public DateOnly? FiledOn { get; init; }
    public List<string>? AllowedNextStages { get; init; }
    public List<TransitionDto>? History { get; init; }
    public List<AnnualReportDto>? AnnualReports { get; init; }
    public DateTime CreatedAt { get; init; }
    public DateTime UpdatedAt { get; init; }

    public static CaseDto From(Case c, string? firmName, ProgramCatalog catalog, DateOnly today, bool withHistory)
    {
        var program = catalog.Find(c.Program);
        return new CaseDto
        {
            Id = c.Id,
            Version = c.Version,
            FirmId = c.FirmId,
            FirmName = firmName,
            Program = c.Program,
            ProgramName = program?.NameZh,
            Stage = c.Stage,
            StageName = program?.FindStage(c.Stage)?.NameZh,
            IsOpen = c.IsOpen,
            StageSince = c.StageSince,
            DaysInStage = Math.Max(0, today.DayNumber - c.StageSince.DayNumber),
            OpenedOn = c.OpenedOn,
            ClosedOn = c.ClosedOn,
            OwnerId = c.OwnerId,
            CertificateNumber = c.CertificateNumber,
            CertificateIssuedOn = c.CertificateIssuedOn,
            CertificateExpiresOn = c.CertificateExpiresOn,
            LittleGiantTier = c.LittleGiantTier,
            Cohort = c.Cohort,
            ProjectStartOn = c.ProjectStartOn,
            ProjectEndOn = c.ProjectEndOn,
            EvaluationScore = c.EvaluationScore,
            EvaluationGrade = c.EvaluationGrade,
            RdCenterType = c.RdCenterType,
            RecognizedOn = c.RecognizedOn,
            TargetBoard = c.TargetBoard,
            Sponsor = c.Sponsor,
            FiledOn = c.FiledOn,
            AllowedNextStages = withHistory ? program?.NextStages(c.Stage).Select(s => s.Code).ToList() : null,
            History = withHistory
                ? c.Transitions.OrderBy(t => t.On).ThenBy(t => t.Id).Select(t => new TransitionDto(t.Id, t.FromStage, t.ToStage, t.On, t.Note, t.ById, t.At)).ToList()
                : null,
            AnnualReports = withHistory ? c.AnnualReports.OrderBy(a => a.Year).Select(a => new AnnualReportDto(a.Year, a.FiledOn)).ToList() : null,
            CreatedAt = c.CreatedAt,
            UpdatedAt = c.UpdatedAt,
        };
    }
}

public sealed record AnnualReportDto(int Year, DateOnly FiledOn);

public sealed record CasePage(List<CaseDto> Items, int Total, int Page, int PageSize);

public static class CaseRules
{
    public static readonly IReadOnlyList<string> LittleGiantTiers = ["cultivation", "giant"];
    public static readonly IReadOnlyList<string> RdCenterTypes = ["rd-center", "global-rd-center", "open-innovation-platform"];
    public static readonly IReadOnlyList<string> Boards = ["star", "chinext", "main", "bse"];

    /// <summary>Little-giant performance evaluation grade: 优秀 ≥ 80, 良好 70–79, 合格 60–69, 不合格 &lt; 60.</summary>
    public static string? Grade(int? score) => score switch
    {
        null => null,
        >= 80 => "优秀",
        >= 70 => "良好",
        >= 60 => "合格",
        _ => "不合格",
    };
}
