using Xuhui.Crm.Domain.Programs;

namespace Xuhui.Crm.Domain.Cases;

/// <summary>How a case opens and moves between stages; the programme's data (programs.json) says what each stage means.</summary>
public sealed partial class Case
{
    /// <summary>A new case at <paramref name="stage"/> (an initial stage of <paramref name="program"/>), its history started.</summary>
    public static Case Open(long firmId, ProgramDefinition program, StageDefinition stage, DateOnly on, long ownerId, long byId, DateTime at, string? note)
    {
        var c = new Case
        {
            FirmId = firmId,
            Program = program.Code,
            Stage = stage.Code,
            IsOpen = stage.Open,
            StageSince = on,
            OpenedOn = on,
            ClosedOn = stage.Open ? null : on,
            OwnerId = ownerId,
        };
        c.Transitions.Add(new CaseTransition { FromStage = null, ToStage = stage.Code, On = on, Note = note, ById = byId, At = at });
        return c;
    }

    /// <summary>
    /// Moves the case to <paramref name="toStage"/> when it is still at <paramref name="expectedFrom"/> and the programme
    /// allows the move; otherwise changes nothing and answers why (stale, unknown, not allowed, or a paused case asked
    /// to resume elsewhere than where it paused).
    /// </summary>
    public TransitionCheck MoveTo(ProgramCatalog catalog, string expectedFrom, string toStage, DateOnly on, long byId, DateTime at, string? note)
    {
        var check = catalog.CheckTransition(Program, expectedFrom, Stage, toStage);
        if (!check.IsAllowed)
        {
            return check;
        }

        var program = catalog.Get(Program);
        var current = program.GetStage(Stage);
        var to = program.GetStage(toStage);
        if (current.Pause && to.Outcome is null && PausedFrom() is { } pausedFrom && to.Code != pausedFrom)
        {
            return new TransitionCheck(
                TransitionStatus.NotWherePaused,
                $"{current.NameZh}的案件只能恢复到{current.NameZh}前的阶段 {program.Describe(pausedFrom)}，不能恢复到 {program.Describe(to.Code)}")
            {
                Program = Program, Current = Stage, ExpectedFrom = expectedFrom, To = to.Code, PausedFrom = pausedFrom,
            };
        }

        Transitions.Add(new CaseTransition { FromStage = Stage, ToStage = to.Code, On = on, Note = note, ById = byId, At = at });
        Stage = to.Code;
        StageSince = on;
        IsOpen = to.Open;
        ClosedOn = to.Open ? null : ClosedOn ?? on;
        if (to.Records == CaseDate.RecognizedOn)
        {
            RecognizedOn ??= on;
        }

        return check;
    }

    /// <summary>The stage the case left when it last entered its current stage (the latest such move).</summary>
    public string? PausedFrom() =>
        Transitions.Where(t => t.ToStage == Stage).OrderByDescending(t => t.Id).Select(t => t.FromStage).FirstOrDefault();
}
