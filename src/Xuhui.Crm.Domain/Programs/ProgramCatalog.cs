namespace Xuhui.Crm.Domain.Programs;

/// <summary>The four cultivation programmes, their stages and allowed transitions, loaded from seed/reference/programs.json.</summary>
/// <remarks>STUB: to be implemented by the domain work (see issue 2).</remarks>
public sealed class ProgramCatalog(IReadOnlyList<ProgramDefinition> programs)
{
    public const string Hnte = "hnte";
    public const string LittleGiant = "little-giant";
    public const string ForeignRdCenter = "foreign-rd-center";
    public const string PreIpo = "pre-ipo";

    public IReadOnlyList<ProgramDefinition> Programs { get; } = programs;

    public ProgramDefinition? Find(string? code) => Programs.FirstOrDefault(p => p.Code == code);

    public static ProgramCatalog Load(string jsonPath) => FromJson(File.ReadAllText(jsonPath));

    public static ProgramCatalog FromJson(string json) => throw new NotImplementedException(json);

    /// <summary>Checks a requested move: the case must be at <paramref name="expectedFrom"/> and the move allowed.</summary>
    public TransitionCheck CheckTransition(string program, string expectedFrom, string currentStage, string toStage) =>
        throw new NotImplementedException();
}

public sealed record ProgramDefinition(
    string Code,
    string NameZh,
    string NameEn,
    IReadOnlyList<StageDefinition> Stages,
    IReadOnlyList<TransitionDefinition> Transitions,
    IReadOnlyList<string> InitialStages)
{
    public StageDefinition? FindStage(string? code) => Stages.FirstOrDefault(s => s.Code == code);

    public bool CanMove(string from, string to) => Transitions.Any(t => t.From == from && t.To == to);

    public IEnumerable<StageDefinition> NextStages(string from) =>
        Transitions.Where(t => t.From == from).Select(t => FindStage(t.To)!);
}

/// <param name="Open">True while the case is in the pipeline; a firm has at most one open case per programme.</param>
/// <param name="Outcome">Win or loss for conversion statistics; null for stages that are neither.</param>
public sealed record StageDefinition(string Code, string NameZh, string NameEn, int Order, bool Open, StageOutcome? Outcome);

public sealed record TransitionDefinition(string From, string To);

public enum StageOutcome
{
    Win,
    Loss,
}

public enum TransitionStatus
{
    Allowed,
    UnknownProgram,
    UnknownStage,
    Stale,
    Forbidden,
}

/// <param name="Message">Chinese message naming both stages when refused.</param>
public sealed record TransitionCheck(TransitionStatus Status, string Message)
{
    public bool IsAllowed => Status == TransitionStatus.Allowed;
}
