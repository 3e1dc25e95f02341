using Microsoft.Data.Sqlite;
using Xuhui.Crm.Domain.Targets;

/// <summary>
/// The report's aggregates as one hand-written statement (stages at month end, the month's moves, stalled cases,
/// visits by officer and zone, follow-ups, HNTE and R&amp;D-centre counts, firm requests): the floor the service is compared with.
/// </summary>
internal static class HandSql
{
    private const string Sql = """
        WITH stage_at AS MATERIALIZED (
            SELECT c."Program" AS Program, t."ToStage" AS Stage, t."On" AS Since
            FROM "Cases" c JOIN "Firms" f ON f."Id" = c."FirmId"
            JOIN "CaseTransitions" t ON t."Id" = (SELECT t2."Id" FROM "CaseTransitions" t2 WHERE t2."CaseId" = c."Id" AND t2."On" <= $to
                                                 ORDER BY t2."On" DESC, t2."Id" DESC LIMIT 1)
            WHERE f."IsArchived" = 0),
        in_district AS MATERIALIZED (
            SELECT f."Id" FROM "Firms" f
            WHERE f."IsArchived" = 0 AND (SELECT s."Status" FROM "FirmStatusChanges" s WHERE s."FirmId" = f."Id" AND s."EffectiveOn" <= $to
                                          ORDER BY s."EffectiveOn" DESC, s."Id" DESC LIMIT 1) IN ('Active', 'MovedIn'))
        SELECT 'stage', Program || ':' || Stage, COUNT(*) FROM stage_at WHERE Stage IS NOT NULL GROUP BY Program, Stage
        UNION ALL
        SELECT 'move', c."Program" || ':' || COALESCE(t."FromStage", '') || '>' || t."ToStage", COUNT(*)
        FROM "CaseTransitions" t JOIN "Cases" c ON c."Id" = t."CaseId" JOIN "Firms" f ON f."Id" = c."FirmId"
        WHERE f."IsArchived" = 0 AND t."On" BETWEEN $from AND $to GROUP BY c."Program", t."FromStage", t."ToStage"
        UNION ALL
        SELECT 'stalled', Program || ':' || Stage, COUNT(*) FROM stage_at
        WHERE Since < date($to, '-90 day') AND Stage IN ('lead','nurturing','preparing','submitted','applied','approved','evaluation','contact','intent','setting-up',
              'reserve','restructuring','tutoring','accepted','inquiry','committee','registration','registered','suspended')
        GROUP BY Program, Stage
        UNION ALL
        SELECT 'officer', vo."UserId", COUNT(*) || '/' || COUNT(DISTINCT v."FirmId") FROM "Visits" v JOIN "VisitOfficers" vo ON vo."VisitId" = v."Id"
        WHERE v."Status" = 'Done' AND v."On" BETWEEN $from AND $to GROUP BY vo."UserId"
        UNION ALL
        SELECT 'zone', f."Zone", COUNT(*) || '/' || COUNT(DISTINCT v."FirmId") FROM "Visits" v JOIN "Firms" f ON f."Id" = v."FirmId"
        WHERE v."Status" = 'Done' AND v."On" BETWEEN $from AND $to GROUP BY f."Zone"
        UNION ALL
        SELECT 'follow-up', x."AssigneeId", SUM(x.k = 1) || '/' || SUM(x.k = 2) || '/' || SUM(x.k = 3)
        FROM (SELECT t."AssigneeId", CASE WHEN t."CompletedOn" <= t."DueOn" THEN 1 ELSE 2 END AS k FROM "Tasks" t
              WHERE t."Status" = 'Done' AND t."CompletedOn" BETWEEN $from AND $to
              UNION ALL SELECT t."AssigneeId", 3 FROM "Tasks" t WHERE t."Status" = 'Open' AND t."DueOn" <= $to
              UNION ALL SELECT t."AssigneeId", 3 FROM "Tasks" t WHERE t."Status" = 'Done' AND t."CompletedOn" > $to AND t."DueOn" <= $to) x
        GROUP BY x."AssigneeId"
        UNION ALL
        SELECT 'hnte', NULL, COUNT(DISTINCT c."FirmId") FROM "Cases" c
        WHERE c."Program" = 'hnte' AND c."Stage" IN ('certified','expired') AND c."CertificateIssuedOn" <= $to AND c."CertificateExpiresOn" >= $to
          AND c."FirmId" IN (SELECT "Id" FROM in_district)
          AND NOT EXISTS (SELECT 1 FROM "CaseTransitions" t WHERE t."CaseId" = c."Id" AND t."FromStage" = 'certified' AND t."On" <= $to AND t."On" < c."CertificateExpiresOn")
        UNION ALL
        SELECT 'rd', NULL, COUNT(*) FROM "Cases" c
        WHERE c."Program" = 'foreign-rd-center' AND c."Stage" IN ('recognized','upgraded') AND c."RecognizedOn" <= $to AND c."FirmId" IN (SELECT "Id" FROM in_district)
        UNION ALL
        SELECT 'requests', r."Department" || ':' || r."Category",
               SUM(r."RaisedOn" < $from) || '/' || SUM(r."RaisedOn" >= $from) || '/' ||
               SUM(r."ClosedOn" <= $to AND r."Status" = 'Resolved') || '/' || SUM(r."ClosedOn" <= $to AND r."Status" = 'CannotResolve') || '/' ||
               SUM(r."ClosedOn" IS NULL OR r."ClosedOn" > $to) || '/' || SUM(r."Deadline" <= $to AND (r."ClosedOn" IS NULL OR r."ClosedOn" > $to)) || '/' ||
               SUM(r."ClosedOn" <= $to AND r."Satisfaction" = 'Satisfied') || '/' || SUM(r."ClosedOn" <= $to AND r."Satisfaction" = 'Basically') || '/' ||
               SUM(r."ClosedOn" <= $to AND r."Satisfaction" = 'Dissatisfied') || '/' || SUM(r."ClosedOn" <= $to AND r."Satisfaction" IS NULL) || '/' ||
               COALESCE(SUM(CASE WHEN r."ClosedOn" <= $to THEN julianday(r."ClosedOn") - julianday(r."RaisedOn") END), 0)
        FROM "Requests" r JOIN "Firms" f ON f."Id" = r."FirmId"
        WHERE f."IsArchived" = 0 AND r."RaisedOn" <= $to AND (r."ClosedOn" IS NULL OR r."ClosedOn" >= $from)
        GROUP BY r."Department", r."Category"
        """;

    public static async Task<int> RunAsync(string file, ReportMonth month)
    {
        await using var conn = new SqliteConnection($"Data Source={file}");
        await conn.OpenAsync();
        await using (var pragmas = conn.CreateCommand())
        {
            // The same per-connection settings as the service.
            pragmas.CommandText = Xuhui.Crm.Web.Data.SqlitePragmas.Pragmas;
            await pragmas.ExecuteNonQueryAsync();
        }

        await using var cmd = conn.CreateCommand();
        cmd.CommandText = Sql;
        cmd.Parameters.AddWithValue("$from", Inv.D(month.First));
        cmd.Parameters.AddWithValue("$to", Inv.D(month.Last));
        await using var reader = await cmd.ExecuteReaderAsync();
        var rows = 0;
        while (await reader.ReadAsync())
        {
            rows++;
        }

        return rows;
    }
}
