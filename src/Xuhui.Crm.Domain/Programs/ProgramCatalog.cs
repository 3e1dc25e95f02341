using System.Text.Json;

namespace Xuhui.Crm.Domain.Programs;

/// <summary>The four cultivation programmes, their stages and allowed transitions, loaded from seed/reference/programs.json.</summary>
/// <remarks>
/// JSON shape: <c>{ "programs": [ { "code", "nameZh", "nameEn", "initialStages": [..], "stages": [ { "code", "nameZh",
/// "nameEn", "order", "open", "outcome": "win" | "loss" | null, "pause"?, "certificate"?, "records"?: "recognizedOn" } ],
/// "transitions": { "from": ["to", ..] }, "certificateYears"?, "annualReports"? } ] }</c>.
/// The stage rules (which stage pauses a case, holds a certificate or records a date) are data here, so a programme
/// changes in the JSON, not in the code. Re-opening a closed case is not a transition: it is a new case.
/// </remarks>
public sealed class ProgramCatalog(IReadOnlyList<ProgramDefinition> programs)
{
    public const string Hnte = "hnte";
    public const string LittleGiant = "little-giant";
    public const string ForeignRdCenter = "foreign-rd-center";
    public const string PreIpo = "pre-ipo";

    /// <summary>Path of the catalogue relative to the repository root (and to test output folders).</summary>
    public const string DefaultRelativePath = "seed/reference/programs.json";

    private static readonly JsonSerializerOptions JsonOptions = new()
    {
        PropertyNameCaseInsensitive = true,
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
    };

    public IReadOnlyList<ProgramDefinition> Programs { get; } = programs;

    public ProgramDefinition? Find(string? code) => Programs.FirstOrDefault(p => p.Code == code);

    /// <exception cref="KeyNotFoundException">No programme has that code.</exception>
    public ProgramDefinition Get(string code) =>
        Find(code) ?? throw new KeyNotFoundException($"Unknown programme '{code}'.");

    public StageDefinition? FindStage(string? program, string? stage) => Find(program)?.FindStage(stage);

    /// <summary>True while a case at this stage is still in the pipeline; false for unknown programmes or stages.</summary>
    public bool IsOpen(string? program, string? stage) => FindStage(program, stage)?.Open ?? false;

    public bool IsWin(string? program, string? stage) => FindStage(program, stage)?.Outcome == StageOutcome.Win;

    public bool IsLoss(string? program, string? stage) => FindStage(program, stage)?.Outcome == StageOutcome.Loss;

    /// <summary>True when a new case may start at this stage.</summary>
    public bool IsInitial(string? program, string? stage) => Find(program)?.IsInitial(stage) ?? false;

    public static ProgramCatalog Load(string jsonPath) => FromJson(File.ReadAllText(jsonPath));

    /// <exception cref="InvalidDataException">The JSON is malformed or inconsistent (see <see cref="Validate"/>).</exception>
    public static ProgramCatalog FromJson(string json)
    {
        CatalogJson? root;
        try
        {
            root = JsonSerializer.Deserialize<CatalogJson>(json, JsonOptions);
        }
        catch (JsonException ex)
        {
            throw new InvalidDataException($"programs.json is not valid JSON: {ex.Message}", ex);
        }

        if (root?.Programs is not { Count: > 0 })
        {
            throw new InvalidDataException("programs.json holds no programmes.");
        }

        var programs = root.Programs.Select(ToDefinition).ToList();
        var problems = Validate(programs);
        if (problems.Count > 0)
        {
            throw new InvalidDataException("programs.json is inconsistent: " + string.Join("; ", problems));
        }

        return new ProgramCatalog(programs);
    }

    /// <summary>Consistency problems: duplicate codes, transitions or initial stages naming unknown stages, and the like.</summary>
    public static IReadOnlyList<string> Validate(IReadOnlyList<ProgramDefinition> programs)
    {
        var problems = new List<string>();
        foreach (var dup in programs.GroupBy(p => p.Code).Where(g => g.Count() > 1))
        {
            problems.Add($"programme '{dup.Key}' appears more than once");
        }

        foreach (var p in programs)
        {
            if (string.IsNullOrWhiteSpace(p.Code) || string.IsNullOrWhiteSpace(p.NameZh) || string.IsNullOrWhiteSpace(p.NameEn))
            {
                problems.Add($"programme '{p.Code}' needs a code, nameZh and nameEn");
            }

            if (p.Stages.Count == 0)
            {
                problems.Add($"{p.Code}: no stages");
            }

            foreach (var s in p.Stages.Where(s =>
                         string.IsNullOrWhiteSpace(s.Code) || string.IsNullOrWhiteSpace(s.NameZh) || string.IsNullOrWhiteSpace(s.NameEn)))
            {
                problems.Add($"{p.Code}: stage '{s.Code}' needs a code, nameZh and nameEn");
            }

            foreach (var dup in p.Stages.GroupBy(s => s.Code).Where(g => g.Count() > 1))
            {
                problems.Add($"{p.Code}: stage '{dup.Key}' appears more than once");
            }

            foreach (var dup in p.Stages.GroupBy(s => s.Order).Where(g => g.Count() > 1))
            {
                problems.Add($"{p.Code}: order {dup.Key} is used by more than one stage");
            }

            if (p.InitialStages.Count == 0)
            {
                problems.Add($"{p.Code}: no initial stages");
            }

            foreach (var code in p.InitialStages.Where(code => p.FindStage(code) is null))
            {
                problems.Add($"{p.Code}: initial stage '{code}' is not a stage");
            }

            foreach (var t in p.Transitions)
            {
                if (p.FindStage(t.From) is null || p.FindStage(t.To) is null)
                {
                    problems.Add($"{p.Code}: transition {t.From} -> {t.To} names an unknown stage");
                }
                else if (t.From == t.To)
                {
                    problems.Add($"{p.Code}: transition {t.From} -> {t.To} goes nowhere");
                }
            }

            foreach (var s in p.Stages.Where(s => s.Pause && !s.Open))
            {
                problems.Add($"{p.Code}: stage '{s.Code}' pauses a case but is not open");
            }

            if (p.CertificateYears is <= 0)
            {
                problems.Add($"{p.Code}: certificateYears must be positive");
            }

            foreach (var dup in p.Transitions.GroupBy(t => t).Where(g => g.Count() > 1))
            {
                problems.Add($"{p.Code}: transition {dup.Key.From} -> {dup.Key.To} appears more than once");
            }
        }

        return problems;
    }

    /// <summary>Checks a requested move: the case must be at <paramref name="expectedFrom"/> and the move allowed.</summary>
    public TransitionCheck CheckTransition(string program, string expectedFrom, string currentStage, string toStage)
    {
        var p = Find(program);
        if (p is null)
        {
            return new TransitionCheck(TransitionStatus.UnknownProgram, $"未知的培育项目「{program}」") { Program = program };
        }

        foreach (var code in new[] { expectedFrom, currentStage, toStage })
        {
            if (p.FindStage(code) is null)
            {
                return new TransitionCheck(TransitionStatus.UnknownStage, $"「{p.NameZh}」没有阶段「{code}」") { Program = program, Stage = code };
            }
        }

        if (expectedFrom != currentStage)
        {
            return new TransitionCheck(
                TransitionStatus.Stale,
                $"案件当前阶段为{p.Describe(currentStage)}，而请求期望从{p.Describe(expectedFrom)} 变更")
            {
                Program = program, Current = currentStage, ExpectedFrom = expectedFrom, To = toStage,
            };
        }

        if (p.CanMove(currentStage, toStage))
        {
            return new TransitionCheck(
                TransitionStatus.Allowed,
                $"从{p.Describe(currentStage)} 变更为{p.Describe(toStage)}")
            {
                Program = program, Current = currentStage, ExpectedFrom = expectedFrom, To = toStage,
            };
        }

        var nextCodes = p.NextStages(currentStage).Select(s => s.Code).ToList();
        var next = nextCodes.Select(p.Describe).ToList();
        var hint = next.Count > 0
            ? $"；可变更为：{string.Join("、", next)}"
            : $"；{p.Describe(currentStage)} 为结束阶段，如需重新开始请新建案件";
        return new TransitionCheck(
            TransitionStatus.Forbidden,
            $"不允许从{p.Describe(currentStage)} 直接变更为{p.Describe(toStage)}{hint}")
        {
            Program = program, Current = currentStage, ExpectedFrom = expectedFrom, To = toStage, Next = nextCodes,
        };
    }

    private static ProgramDefinition ToDefinition(ProgramJson p)
    {
        var code = p.Code ?? string.Empty;
        var stages = (p.Stages ?? []).Select(s => new StageDefinition(
            s.Code ?? string.Empty,
            s.NameZh ?? string.Empty,
            s.NameEn ?? string.Empty,
            s.Order,
            s.Open,
            ParseOutcome(code, s.Code, s.Outcome))
        {
            Pause = s.Pause,
            Certificate = s.Certificate,
            Records = ParseRecords(code, s.Code, s.Records),
        }).ToList();
        var transitions = (p.Transitions ?? [])
            .SelectMany(kv => kv.Value.Select(to => new TransitionDefinition(kv.Key, to)))
            .ToList();
        return new ProgramDefinition(
            code, p.NameZh ?? string.Empty, p.NameEn ?? string.Empty, stages, transitions, p.InitialStages ?? [], p.CertificateYears, p.AnnualReports);
    }

    private static StageOutcome? ParseOutcome(string program, string? stage, string? outcome) => outcome switch
    {
        null => null,
        "win" => StageOutcome.Win,
        "loss" => StageOutcome.Loss,
        _ => throw new InvalidDataException($"{program}: stage '{stage}' has outcome '{outcome}'; use \"win\", \"loss\" or null"),
    };

    private static CaseDate? ParseRecords(string program, string? stage, string? records) => records switch
    {
        null => null,
        "recognizedOn" => CaseDate.RecognizedOn,
        _ => throw new InvalidDataException($"{program}: stage '{stage}' records '{records}'; use \"recognizedOn\" or null"),
    };

    private sealed record CatalogJson(List<ProgramJson>? Programs);

    private sealed record ProgramJson(
        string? Code,
        string? NameZh,
        string? NameEn,
        List<string>? InitialStages,
        List<StageJson>? Stages,
        Dictionary<string, List<string>>? Transitions,
        int? CertificateYears,
        bool AnnualReports);

    private sealed record StageJson(
        string? Code, string? NameZh, string? NameEn, int Order, bool Open, string? Outcome, bool Pause, bool Certificate, string? Records);
}
