using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Xuhui.Crm.Domain.Programs;
using Xuhui.Crm.Domain.Targets;
using Xuhui.Crm.Domain.Time;
using Xuhui.Crm.Domain.Visits;
using Xuhui.Crm.Web.Data;
using Xuhui.Crm.Web.Features.Search;
using Xuhui.Crm.Web.Features.Reference;
using Xuhui.Crm.Web.Features.Targets;

namespace Xuhui.Crm.Web.Features.Reports;

/// <summary>
/// Computes the monthly pipeline report from live data. Every section is aggregated in SQL; only the month's own
/// transitions, the stalled list and the lapsing list are loaded as rows. The sections run one after the other on one
/// connection: parallel connections made the report slower on a loaded small machine, the extra lanes waiting for
/// thread-pool threads and cores.
/// </summary>
public sealed partial class MonthlyReportBuilder(
    CrmDbContext db, ReferenceData reference, TargetsService targets, IOptions<ReportsOptions> options, TimeProvider clock)
{
    private ProgramCatalog Programs => reference.Programs;

    public async Task<MonthlyReport> BuildAsync(ReportMonth month, CancellationToken ct)
    {
        var today = ShanghaiTime.Today(clock);
        var from = month.First;
        var to = month.Last;

        // The running month is reported as of today: nothing is recorded in the future.
        var asOf = to < today ? to : today;
        var overdueAsOf = to < today ? to : today.AddDays(-1);

        var stageRows = await StagesAtAsync(asOf, ct);
        var stages = stageRows.GroupBy(r => (r.Program, r.Stage)).ToDictionary(g => g.Key, g => g.Count());
        var moves = await MovesAsync(from, to, ct);
        var (stalled, stalledTotal) = await StalledAsync(stageRows, asOf, ct);
        var durations = await TimeInStageAsync(from, to, ct);
        var visits = await VisitsAsync(db, from, to, ct);
        var followUps = await FollowUpsAsync(from, to, overdueAsOf, ct);
        var figures = await targets.ComputeAsync(asOf, ct);
        var requests = await RequestFigures.ComputeAsync(db, reference, from, to, asOf, overdueAsOf, ct);

        var pipeline = Programs.Programs.Select(p =>
        {
            var ofProgram = moves.Where(m => m.Program == p.Code).Select(m => (Move: m, Kind: Classify(p, m))).ToList();
            return new ProgramPipeline(
                p.Code,
                p.NameZh,
                p.Stages.OrderBy(s => s.Order)
                    .Select(s => new StageCount(s.Code, s.NameZh, s.Open, stages.GetValueOrDefault((p.Code, s.Code))))
                    .ToList(),
                ofProgram.Count(x => x.Kind == MoveKind.New),
                ofProgram.Count(x => x.Kind == MoveKind.Advance),
                ofProgram.Count(x => x.Kind == MoveKind.Regression),
                ofProgram.Count(x => x.Kind == MoveKind.Win),
                ofProgram.Count(x => x.Kind == MoveKind.Loss),
                ofProgram.Count(x => x.Kind == MoveKind.Other));
        }).ToList();

        var wins = moves
            .Where(m => Programs.IsWin(m.Program, m.ToStage))
            .OrderBy(m => m.On).ThenBy(m => m.Id)
            .Select(m => new NotableWin(
                m.On, m.CaseId, m.FirmId, m.FirmName, m.Program, Programs.Get(m.Program).NameZh, m.ToStage,
                Programs.FindStage(m.Program, m.ToStage)?.NameZh ?? m.ToStage, Detail(m)))
            .ToList();

        return new MonthlyReport(
            month.ToString(),
            from,
            to,
            clock.GetUtcNow().UtcDateTime,
            Frozen: false,
            SnapshotRevision: null,
            pipeline,
            stalled,
            stalledTotal,
            options.Value.StalledDays,
            durations,
            visits,
            followUps,
            figures,
            wins,
            requests);
    }

    private enum MoveKind
    {
        New,
        Advance,
        Regression,
        Win,
        Loss,
        Other,
    }

    /// <summary>
    /// Wins and losses by the catalogue's outcomes; advances and regressions by stage order between pipeline stages on the
    /// main path. Side states (open stages ordered after the win, e.g. pre-IPO "suspended") and moves such as
    /// certified → expired are "other".
    /// </summary>
    private static MoveKind Classify(ProgramDefinition p, Move m)
    {
        if (m.FromStage is null)
        {
            return MoveKind.New;
        }

        var to = p.FindStage(m.ToStage);
        var fromStage = p.FindStage(m.FromStage);
        if (to?.Outcome == StageOutcome.Win)
        {
            return MoveKind.Win;
        }

        if (to?.Outcome == StageOutcome.Loss)
        {
            return MoveKind.Loss;
        }

        var winOrder = p.Stages.Where(s => s.Outcome == StageOutcome.Win).Select(s => s.Order).DefaultIfEmpty(int.MaxValue).Max();
        bool MainPath(StageDefinition? s) => s is { Open: true } && s.Order <= winOrder;
        if (to is null || fromStage is null || !MainPath(fromStage) || !MainPath(to))
        {
            return MoveKind.Other;
        }

        return to.Order > fromStage.Order ? MoveKind.Advance : to.Order < fromStage.Order ? MoveKind.Regression : MoveKind.Other;
    }

    private static string? Detail(Move m) => m.Program switch
    {
        ProgramCatalog.Hnte => m.CertificateNumber is null ? null : $"证书编号 {m.CertificateNumber}",
        ProgramCatalog.ForeignRdCenter => m.RdCenterType switch
        {
            "global-rd-center" => "全球研发中心",
            "open-innovation-platform" => "开放式创新平台",
            "rd-center" => "研发中心",
            _ => null,
        },
        ProgramCatalog.PreIpo => m.TargetBoard switch
        {
            "star" => "科创板",
            "chinext" => "创业板",
            "main" => "主板",
            "bse" => "北交所",
            _ => null,
        },
        _ => null,
    };

    private sealed record Move(
        long Id, long CaseId, string? FromStage, string ToStage, DateOnly On, string Program, long FirmId, string FirmName,
        string? CertificateNumber, string? RdCenterType, string? TargetBoard);

    /// <summary>The month's transitions; a district's are those of firms in the district on the transition's date.</summary>
    private async Task<List<Move>> MovesAsync(DateOnly from, DateOnly to, CancellationToken ct)
    {
        var moves = db.CaseTransitions.AsNoTracking()
            .Where(t => t.On >= from && t.On <= to)
            .Join(db.District is null ? db.Cases : db.Cases.IgnoreQueryFilters(), t => t.CaseId, c => c.Id, (t, c) => new { t, c })
            .Where(x => !x.c.Firm!.IsArchived);
        if (db.District is { } district)
        {
            moves = moves.WhereInDistrictOn(x => x.c.Firm!, x => x.t.On, district);
        }

        return await moves
            .Select(x => new Move(
                x.t.Id, x.t.CaseId, x.t.FromStage, x.t.ToStage, x.t.On, x.c.Program, x.c.FirmId, x.c.Firm!.Name,
                x.c.CertificateNumber, x.c.RdCenterType, x.c.TargetBoard))
            .ToListAsync(ct);
    }

    /// <summary>Every case's stage on <paramref name="asOf"/> and since when, from the transition history (one row per case).</summary>
    private async Task<List<StageRow>> StagesAtAsync(DateOnly asOf, CancellationToken ct)
    {
        // Raw SQL bypasses the district filters: the scope goes in by hand. Unscoped (one district, the city) every firm
        // counts; a district counts the firms that were in it on the date (DistrictHistory), not the ones in it now, so a
        // firm transferred since counts where it was.
        if (db.District is not { } district)
        {
            return await db.Database.SqlQuery<StageRow>($"""
                SELECT c."Id" AS "CaseId", c."Program" AS "Program", t."ToStage" AS "Stage", t."On" AS "Since"
                FROM "Cases" AS c
                JOIN "Firms" AS f ON f."Id" = c."FirmId"
                JOIN "CaseTransitions" AS t ON t."Id" = (
                    SELECT t2."Id" FROM "CaseTransitions" AS t2
                    WHERE t2."CaseId" = c."Id" AND t2."On" <= {asOf}
                    ORDER BY t2."On" DESC, t2."Id" DESC LIMIT 1)
                WHERE f."IsArchived" = FALSE
                """).ToListAsync(ct);
        }

        return await db.Database.SqlQuery<StageRow>($"""
            SELECT c."Id" AS "CaseId", c."Program" AS "Program", t."ToStage" AS "Stage", t."On" AS "Since"
            FROM "Cases" AS c
            JOIN "Firms" AS f ON f."Id" = c."FirmId"
            JOIN "CaseTransitions" AS t ON t."Id" = (
                SELECT t2."Id" FROM "CaseTransitions" AS t2
                WHERE t2."CaseId" = c."Id" AND t2."On" <= {asOf}
                ORDER BY t2."On" DESC, t2."Id" DESC LIMIT 1)
            WHERE f."IsArchived" = FALSE
              AND CASE WHEN NOT EXISTS (SELECT 1 FROM "FirmStatusChanges" AS h WHERE h."FirmId" = f."Id" AND h."DistrictCode" IS NOT NULL)
                       THEN f."DistrictCode" = {district}
                       ELSE COALESCE(
                            (SELECT h."DistrictCode" FROM "FirmStatusChanges" AS h WHERE h."FirmId" = f."Id" AND h."EffectiveOn" <= {asOf}
                             ORDER BY h."EffectiveOn" DESC, h."Id" DESC LIMIT 1),
                            CASE WHEN EXISTS (SELECT 1 FROM "FirmStatusChanges" AS h WHERE h."FirmId" = f."Id" AND h."EffectiveOn" <= {asOf}) THEN NULL
                                 ELSE (SELECT h."DistrictCode" FROM "FirmStatusChanges" AS h WHERE h."FirmId" = f."Id" ORDER BY h."EffectiveOn", h."Id" LIMIT 1) END,
                            f."DistrictCode") = {district} END
            """).ToListAsync(ct);
    }

    /// <summary>Open-stage cases whose stage at month end began more than the configured days earlier; names for the top 200.</summary>
    private async Task<(List<StalledCase> Top, int Total)> StalledAsync(List<StageRow> stages, DateOnly asOf, CancellationToken ct)
    {
        var cutoff = asOf.AddDays(-options.Value.StalledDays);
        var stalled = stages.Where(r => r.Since < cutoff && Programs.IsOpen(r.Program, r.Stage))
            .OrderBy(r => r.Since).ThenBy(r => r.CaseId).ToList();
        var top = stalled.Take(200).ToList();
        var ids = top.Select(r => r.CaseId).ToList();
        var firms = await db.Cases.AsNoTracking().Where(c => ids.Contains(c.Id))
            .Select(c => new { c.Id, c.FirmId, c.Firm!.Name }).ToDictionaryAsync(c => c.Id, ct);
        var list = top.Select(r => new StalledCase(
            r.CaseId, firms[r.CaseId].FirmId, firms[r.CaseId].Name, r.Program, Programs.Find(r.Program)?.NameZh ?? r.Program, r.Stage,
            Programs.FindStage(r.Program, r.Stage)?.NameZh ?? r.Stage, r.Since, asOf.DayNumber - r.Since.DayNumber)).ToList();
        return (list, stalled.Count);
    }
}
