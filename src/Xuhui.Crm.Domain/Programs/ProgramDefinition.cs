using System.Text.Json.Serialization;

namespace Xuhui.Crm.Domain.Programs;

/// <param name="CertificateYears">
/// How long a certificate of this programme runs when its expiry is not given: until the day before that anniversary
/// of the issue date; null when the printed date is always needed.
/// </param>
/// <param name="AnnualReports">True when a case of this programme files a yearly development report.</param>
/// <remarks>The rules read by the server are left out of the reference API's JSON, whose contract stays as it is.</remarks>
public sealed record ProgramDefinition(
    string Code,
    string NameZh,
    string NameEn,
    IReadOnlyList<StageDefinition> Stages,
    IReadOnlyList<TransitionDefinition> Transitions,
    IReadOnlyList<string> InitialStages,
    [property: JsonIgnore] int? CertificateYears = null,
    [property: JsonIgnore] bool AnnualReports = false)
{
    public StageDefinition? FindStage(string? code) => Stages.FirstOrDefault(s => s.Code == code);

    /// <exception cref="KeyNotFoundException">No stage has that code.</exception>
    public StageDefinition GetStage(string code) =>
        FindStage(code) ?? throw new KeyNotFoundException($"Programme '{Code}' has no stage '{code}'.");

    public bool CanMove(string from, string to) => Transitions.Any(t => t.From == from && t.To == to);

    public IEnumerable<StageDefinition> NextStages(string from) =>
        Transitions.Where(t => t.From == from).Select(t => FindStage(t.To)!);

    public bool IsInitial(string? stage) => stage is not null && InitialStages.Contains(stage);

    public IEnumerable<StageDefinition> OpenStages => Stages.Where(s => s.Open);

    /// <summary>「中文名」(code), the form used in messages; the bare code if the stage is unknown.</summary>
    public string Describe(string stage) => FindStage(stage) is { } s ? $"「{s.NameZh}」({s.Code})" : $"「{stage}」";

    /// <summary>The expiry a certificate issued on <paramref name="issuedOn"/> gets when none is given, or null.</summary>
    public DateOnly? DefaultCertificateExpiry(DateOnly issuedOn) =>
        CertificateYears is { } years ? issuedOn.AddYears(years).AddDays(-1) : null;

    /// <summary>True when a case at this stage holds (or is due) a certificate.</summary>
    public bool HoldsCertificate(string? stage) => FindStage(stage)?.Certificate ?? false;
}

/// <param name="Open">True while the case is in the pipeline; a firm has at most one open case per programme.</param>
/// <param name="Outcome">Win or loss for conversion statistics; null for stages that are neither.</param>
public sealed record StageDefinition(string Code, string NameZh, string NameEn, int Order, bool Open, StageOutcome? Outcome)
{
    /// <summary>
    /// A pause: the case waits here and, unless it ends with an outcome, resumes at the stage it was paused from.
    /// </summary>
    [JsonIgnore]
    public bool Pause { get; init; }

    /// <summary>A case at this stage holds a certificate (the win, and what follows it such as an expiry).</summary>
    [JsonIgnore]
    public bool Certificate { get; init; }

    /// <summary>The case date the first arrival at this stage records, if any.</summary>
    [JsonIgnore]
    public CaseDate? Records { get; init; }
}

public sealed record TransitionDefinition(string From, string To);

public enum StageOutcome
{
    Win,
    Loss,
}

/// <summary>Dates on a case that reaching a stage fills in.</summary>
public enum CaseDate
{
    RecognizedOn,
}

public enum TransitionStatus
{
    Allowed,
    UnknownProgram,
    UnknownStage,
    Stale,
    Forbidden,

    /// <summary>A paused case may only resume at the stage it was paused from (or end with an outcome).</summary>
    NotWherePaused,
}

/// <param name="Message">Chinese message naming both stages when refused.</param>
/// <remarks>
/// The codes the message names travel with it (<see cref="Program"/>, <see cref="Current"/>, <see cref="ExpectedFrom"/>,
/// <see cref="To"/>, <see cref="Stage"/>, <see cref="Next"/>, <see cref="PausedFrom"/>), so a caller can say the same in
/// another language.
/// </remarks>
public sealed record TransitionCheck(TransitionStatus Status, string Message)
{
    public bool IsAllowed => Status == TransitionStatus.Allowed;

    public string? Program { get; init; }

    /// <summary>The stage the case is at.</summary>
    public string? Current { get; init; }

    /// <summary>The stage the request expected the case to be at.</summary>
    public string? ExpectedFrom { get; init; }

    public string? To { get; init; }

    /// <summary>The stage code a programme does not have (<see cref="TransitionStatus.UnknownStage"/>).</summary>
    public string? Stage { get; init; }

    /// <summary>The stages allowed from <see cref="Current"/> (<see cref="TransitionStatus.Forbidden"/>).</summary>
    public IReadOnlyList<string> Next { get; init; } = [];

    /// <summary>The stage a paused case left (<see cref="TransitionStatus.NotWherePaused"/>).</summary>
    public string? PausedFrom { get; init; }
}
