using Microsoft.EntityFrameworkCore;
using Xuhui.Crm.Domain.Time;
using Xuhui.Crm.Web.Data;
using Xuhui.Crm.Web.Features.Search;
using Xuhui.Crm.Web.Shared;

namespace Xuhui.Crm.Web.Seeding;

/// <summary>
/// Loads the demo data set into an empty database: the synthetic generator at the small scale of
/// seed/demo/demo.json (about 300 firms, a handful of officers, two supervisors and a viewer), dated relative to
/// today in Shanghai. Demo users get unusable random password hashes — an admin sets passwords through the
/// users API; there are no known demo passwords.
/// </summary>
public sealed class DemoData(CrmDbContext db, TimeProvider clock, DataPaths paths, ILogger<DemoData> logger)
{
    public async Task SeedAsync(CancellationToken ct)
    {
        // Only ever into an empty database, so a restart adds nothing.
        if (await db.Firms.AnyAsync(ct))
        {
            return;
        }

        var options = SyntheticOptions.LoadDemo(paths.SeedDirectory, ShanghaiTime.Today(clock));
        var words = SyntheticWords.Load(paths.SeedDirectory);
        var summary = await BulkWriter.WriteAsync(db, options, words, bulk: false, ct);
        logger.LogInformation(
            "Demo data: {Firms} firms, {Cases} cases, {Visits} visits, {Tasks} tasks, {Users} users without usable passwords in {Ms} ms",
            summary.Rows.GetValueOrDefault("Firms"), summary.Rows.GetValueOrDefault("Cases"), summary.Rows.GetValueOrDefault("Visits"),
            summary.Rows.GetValueOrDefault("Tasks"), summary.Rows.GetValueOrDefault("Users"), (long)summary.Elapsed.TotalMilliseconds);
    }
}
