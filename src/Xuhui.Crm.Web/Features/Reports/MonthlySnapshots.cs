using System.Globalization;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Xuhui.Crm.Domain.Auditing;
using Xuhui.Crm.Domain.Targets;
using Xuhui.Crm.Domain.Time;
using Xuhui.Crm.Web.Data;
using Xuhui.Crm.Web.Features.Search;
using Xuhui.Crm.Web.Shared;
using Xuhui.Crm.Web.Shared.Localisation;

namespace Xuhui.Crm.Web.Features.Reports;

/// <summary>
/// Month-end snapshots: the frozen JSON of a closed month. Reports for closed months read the highest revision, so later
/// edits to history do not change what was reported; a re-run adds a revision (audited) and keeps the earlier ones.
/// </summary>
public sealed class MonthlySnapshots(CrmDbContext db, MonthlyReportBuilder builder, TimeProvider clock, Microsoft.Extensions.Options.IOptions<CrmOptions>? crm = null)
{
    public const string JobTrigger = "month-end-job";
    public const string ManualTrigger = "manual";

    private static readonly JsonSerializerOptions JsonOptions = CreateOptions();

    /// <summary>
    /// Whose snapshots: the context's district, or the city's (310000) when a multi-district deployment reports unscoped;
    /// null with one district (every snapshot is the district's).
    /// </summary>
    private string? Key => db.District ?? (crm?.Value.MultiDistrict == true ? Domain.Districts.DistrictCodes.City : null);

    private IQueryable<MonthlySnapshot> Rows
    {
        get
        {
            var key = Key;
            return key is null ? db.MonthlySnapshots : db.MonthlySnapshots.Where(s => s.DistrictCode == key);
        }
    }

    public bool IsClosed(ReportMonth month) => month.Last < ShanghaiTime.Today(clock);

    public bool IsFuture(ReportMonth month) => month.First > ShanghaiTime.Today(clock);

    /// <summary>The report as it stands: the latest snapshot for a closed month, else computed live.</summary>
    public async Task<MonthlyReport> ReportAsync(ReportMonth month, CancellationToken ct)
    {
        if (IsClosed(month))
        {
            var latest = await Rows.AsNoTracking().Where(s => s.Month == month.ToString())
                .OrderByDescending(s => s.Revision).FirstOrDefaultAsync(ct);
            if (latest is not null)
            {
                return Read(latest);
            }
        }

        return await builder.BuildAsync(month, ct);
    }

    public async Task<List<SnapshotInfo>> ListAsync(ReportMonth month, CancellationToken ct) =>
        await Rows.AsNoTracking().Where(s => s.Month == month.ToString()).OrderBy(s => s.Revision)
            .Select(s => new SnapshotInfo(s.Month, s.Revision, s.TakenAt, s.TakenById, s.Trigger, s.Reason)).ToListAsync(ct);

    public async Task<MonthlyReport?> RevisionAsync(ReportMonth month, int revision, CancellationToken ct)
    {
        var row = await Rows.AsNoTracking().FirstOrDefaultAsync(s => s.Month == month.ToString() && s.Revision == revision, ct);
        return row is null ? null : Read(row);
    }

    /// <summary>
    /// The jobs' call: freezes the month unless it is frozen already (a re-fired trigger changes nothing). Both monthly
    /// jobs call it, and after downtime both fire at once: the loser of the race on (month, revision) finds it frozen.
    /// </summary>
    public async Task<SnapshotInfo?> TakeIfMissingAsync(ReportMonth month, CancellationToken ct)
    {
        var key = month.ToString();
        if (await Rows.AnyAsync(s => s.Month == key, ct))
        {
            return null;
        }

        try
        {
            return await TakeCoreAsync(month, JobTrigger, null, null, firstOnly: true, ct);
        }
        catch (DbUpdateException)
        {
            db.ChangeTracker.Clear();
            if (await Rows.AnyAsync(s => s.Month == key, ct))
            {
                return null;
            }

            throw;
        }
    }

    /// <summary>Computes the month now and stores it as the next revision, with an audit row naming who and why.</summary>
    public async Task<SnapshotInfo> TakeAsync(ReportMonth month, string trigger, long? by, string? reason, CancellationToken ct) =>
        (await TakeCoreAsync(month, trigger, by, reason, firstOnly: false, ct))!;

    /// <param name="firstOnly">Store nothing (null) when another revision appeared meanwhile.</param>
    private async Task<SnapshotInfo?> TakeCoreAsync(ReportMonth month, string trigger, long? by, string? reason, bool firstOnly, CancellationToken ct)
    {
        // A frozen month is a record, not a reply: its texts are in the default language whoever asked for it.
        Text.UseDefaultLanguage();
        var report = await builder.BuildAsync(month, ct);
        var key = month.ToString();
        var revision = (await Rows.Where(s => s.Month == key).MaxAsync(s => (int?)s.Revision, ct) ?? 0) + 1;
        if (firstOnly && revision != 1)
        {
            return null;
        }

        var now = clock.GetUtcNow().UtcDateTime;
        var row = new MonthlySnapshot
        {
            Month = key,
            Revision = revision,
            TakenAt = now,
            TakenById = by,
            Trigger = trigger,
            Reason = reason,
            Payload = JsonSerializer.Serialize(report with { Frozen = true, SnapshotRevision = revision }, JsonOptions),
            DistrictCode = Key ?? string.Empty,
        };

        await using var tx = await db.Database.BeginTransactionAsync(ct);
        db.MonthlySnapshots.Add(row);
        await db.SaveChangesAsync(ct);
        db.AuditEntries.Add(new AuditEntry
        {
            FirmId = DistrictAudit.FirmId,
            EntityType = nameof(MonthlySnapshot),
            EntityId = row.Id,
            Action = revision == 1 ? "created" : "re-run",
            Changes =
            [
                new AuditChange("Month", null, key),
                new AuditChange("Revision", revision == 1 ? null : (revision - 1).ToString(CultureInfo.InvariantCulture), revision.ToString(CultureInfo.InvariantCulture)),
                new AuditChange("Trigger", null, trigger),
                new AuditChange("Reason", null, reason),
            ],
            UserId = by,
            At = now,
        });
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return new SnapshotInfo(row.Month, row.Revision, row.TakenAt, row.TakenById, row.Trigger, row.Reason);
    }

    private static MonthlyReport Read(MonthlySnapshot row) =>
        JsonSerializer.Deserialize<MonthlyReport>(row.Payload, JsonOptions)
        ?? throw new InvalidDataException($"Snapshot {row.Month} r{row.Revision} is empty.");

    private static JsonSerializerOptions CreateOptions()
    {
        var o = new JsonSerializerOptions(JsonSerializerDefaults.Web);
        Json.Configure(o);
        return o;
    }
}
