using Xuhui.Crm.Domain.Programs;

namespace Xuhui.Crm.Web.Features.Cases.Pages;

/// <summary>What the move buttons of one case need: the stages the programme allows next.</summary>
public sealed record MoveButtons(long CaseId, string FirmName, string Stage, IReadOnlyList<StageDefinition> Next, bool CanEdit, string ReturnUrl)
{
    public static MoveButtons For(ProgramCatalog catalog, string program, long caseId, string firmName, string stage, bool canEdit, string returnUrl) =>
        new(caseId, firmName, stage, catalog.Find(program)?.NextStages(stage).ToList() ?? [], canEdit, returnUrl);

    /// <summary>Why each other stage cannot be reached from <paramref name="stage"/>, in the rules' own words.</summary>
    public static IEnumerable<(StageDefinition Stage, string Reason)> Refusals(ProgramCatalog catalog, string program, string stage) =>
        catalog.Find(program) is not { } p
            ? []
            : p.Stages.Where(s => s.Code != stage && !p.CanMove(stage, s.Code))
                .Select(s => (s, CaseMessages.Refusal(catalog.CheckTransition(program, stage, stage, s.Code), catalog)));
}
