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

/// <summary>The pipeline projection: what the late-stage cases are expected to add to an indicator.</summary>
public sealed partial class TargetsService
{
    /// <summary>Late-stage cases on <paramref name="d"/> × each stage's conversion over the trailing window.</summary>
    public async Task<PipelineProjection> ProjectAsync(string programCode, DateOnly d, CancellationToken ct)
    {
        var program = reference.Programs.Get(programCode);
        var late = Options.LateStages.TryGetValue(programCode, out var stages) ? stages : [];
        var windowFrom = d.AddMonths(-Options.ConversionWindowMonths);
        var rates = await ConversionRatesAsync(program, late, windowFrom, d, ct);

        var stageAt = await InDistrict(AllCases.Where(c => c.Program == programCode && c.OpenedOn <= d), d, District)
            .Select(c => c.Transitions.Where(t => t.On <= d).OrderByDescending(t => t.On).ThenByDescending(t => t.Id).Select(t => t.ToStage).FirstOrDefault())
            .Where(s => s != null && late.Contains(s))
            .ToListAsync(ct);
        var open = stageAt.GroupBy(s => s!).ToDictionary(g => g.Key, g => g.Count());

        var rows = late.Select(code =>
        {
            var rate = rates.TryGetValue(code, out var r) ? r : new ConversionRate(0, 0, Options.MinimumOutcomes);
            var count = open.GetValueOrDefault(code);
            double? expected = rate.Rate is { } value ? Math.Round(count * value, 2) : null;
            return new StageProjection(
                programCode,
                code,
                program.FindStage(code)?.NameZh ?? code,
                count,
                rate.Wins,
                rate.Losses,
                rate.Outcomes,
                rate.Rate is { } shown ? Math.Round(shown, 4) : null,
                expected,
                rate.IsSufficient ? "ok" : "insufficient-data");
        }).ToList();
        var complete = rows.All(r => r.Status == "ok" || r.OpenCases == 0);
        return new PipelineProjection(
            windowFrom,
            d,
            Options.MinimumOutcomes,
            rows,
            Math.Round(rows.Sum(r => r.ExpectedWins ?? 0), 2),
            complete,
            complete ? null : Text.T("部分阶段结果样本不足（少于最低样本数），其案件未计入预测"));
    }

    /// <summary>
    /// Per late stage: the cases that passed through it and reached a win or loss in (from, to]; wins ÷ (wins + losses).
    /// </summary>
    private async Task<Dictionary<string, ConversionRate>> ConversionRatesAsync(
        ProgramDefinition program, List<string> late, DateOnly windowFrom, DateOnly windowTo, CancellationToken ct)
    {
        var outcomes = program.Stages.Where(s => s.Outcome is not null).Select(s => s.Code).ToList();
        var wins = program.Stages.Where(s => s.Outcome == StageOutcome.Win).Select(s => s.Code).ToHashSet();
        var code = program.Code;
        var rows = await (
                from o in db.CaseTransitions
                where outcomes.Contains(o.ToStage) && o.On > windowFrom && o.On <= windowTo
                join c in db.Cases on o.CaseId equals c.Id
                where c.Program == code
                from v in db.CaseTransitions
                where v.CaseId == o.CaseId && v.Id < o.Id && late.Contains(v.ToStage)
                select new { Stage = v.ToStage, OutcomeId = o.Id, Outcome = o.ToStage })
            .Distinct()
            .ToListAsync(ct);
        return rows.GroupBy(r => r.Stage).ToDictionary(
            g => g.Key,
            g => new ConversionRate(g.Count(r => wins.Contains(r.Outcome)), g.Count(), Options.MinimumOutcomes));
    }
}
