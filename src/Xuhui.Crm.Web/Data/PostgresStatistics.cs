using Microsoft.EntityFrameworkCore;

namespace Xuhui.Crm.Web.Data;

/// <summary>
/// Planner statistics PostgreSQL needs beyond its defaults, applied after the migrations (idempotent, catalogue only).
/// </summary>
public static class PostgresStatistics
{
    /// <summary>
    /// The sample size behind the gram column's statistics (PostgreSQL's default is 100, a 30,000-row sample).
    /// At a million firms the gram table has ~69 M rows; from the default sample PostgreSQL estimated 2,521 distinct
    /// grams, so a pair 125 firms have was expected to have ~10,000, and a two-row search page was planned as a
    /// parallel scan (Gather with a worker process per request, 11 ms). With 2,000 it estimates 10,417 distinct and 250
    /// rows, and plans the plain index walk (tests/bench/CITY.md shows the plans). ANALYZE reads a larger
    /// sample: ~12 s for the gram table at a million firms, which autovacuum and the bulk copy pay, not requests.
    /// </summary>
    public const int GramStatisticsTarget = 2000;

    public static Task ApplyAsync(DbContext db, CancellationToken ct = default) =>
        db.Database.ExecuteSqlRawAsync(
            $"""
            DO $$
            BEGIN
              IF (SELECT attstattarget FROM pg_attribute WHERE attrelid = '"FirmSearchGrams"'::regclass AND attname = 'Gram') IS DISTINCT FROM {GramStatisticsTarget} THEN
                ALTER TABLE "FirmSearchGrams" ALTER COLUMN "Gram" SET STATISTICS {GramStatisticsTarget};
              END IF;
            END $$;
            """,
            ct);
}
