using System.Text.Json;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using Npgsql;
using Xuhui.Crm.Web.Data;
using Xuhui.Crm.Web.Shared;
using Xuhui.Crm.Web.Features.Outbox;

namespace Xuhui.Crm.Web.Features.Operations;

/// <summary>The database answers, takes a write, has room for it, and has every migration applied.</summary>
public sealed class DatabaseHealthCheck(CrmDbContext db, DataPaths paths, StorageState storage, TimeProvider clock) : IHealthCheck
{
    /// <summary>Written (and rolled back) by the probe: more than its small page cache holds, so it reaches the disk.</summary>
    private const int ProbeBytes = 256 * 1024;

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            var pending = (await db.Database.GetPendingMigrationsAsync(cancellationToken)).ToList();
            if (pending.Count > 0)
            {
                return HealthCheckResult.Unhealthy($"{pending.Count} migration(s) not applied: {string.Join(", ", pending)}");
            }

            var result = paths.IsSqlite ? await ProbeSqliteAsync(cancellationToken) : await ProbePostgresAsync(cancellationToken);
            return result.Status == HealthStatus.Healthy && StillFull() is { } full ? full : result;
        }
        catch (Exception ex) when (ex is SqliteException or NpgsqlException)
        {
            return storage.Observe(ex, "health probe")
                ? Full(storage.FullSince)
                : HealthCheckResult.Unhealthy($"database not writable: {ex.Message}");
        }
    }

    /// <summary>
    /// A write that changes nothing but must find room: a row larger than the probe's page cache makes SQLite spill
    /// pages into the write-ahead log (a real write to the disk) and allocate pages in the file, then it is rolled back.
    /// A full disk or a database at its page limit fails here; a locked file fails within 2 s.
    /// </summary>
    private async Task<HealthCheckResult> ProbeSqliteAsync(CancellationToken ct)
    {
        await db.Database.OpenConnectionAsync(ct);
        var connection = (SqliteConnection)db.Database.GetDbConnection();
        await using var read = connection.CreateCommand();
        read.CommandText = "PRAGMA cache_size";
        var cacheSize = Convert.ToInt64(await read.ExecuteScalarAsync(ct), System.Globalization.CultureInfo.InvariantCulture);
        try
        {
            await ExecuteAsync(connection, null, "PRAGMA cache_size = 16", ct);
            using var transaction = connection.BeginTransaction(deferred: false);
            try
            {
                await ExecuteAsync(
                    connection, transaction,
                    $"INSERT INTO \"__EFMigrationsHistory\" (\"MigrationId\", \"ProductVersion\") VALUES ('~write-probe', zeroblob({ProbeBytes}))", ct);
            }
            finally
            {
                TryRollback(transaction);
            }
        }
        finally
        {
            // The connection returns to the pool: it keeps the service's cache, not the probe's.
            await ExecuteAsync(connection, null, $"PRAGMA cache_size = {cacheSize.ToString(System.Globalization.CultureInfo.InvariantCulture)}", CancellationToken.None);
        }

        storage.Recovered();
        return HealthCheckResult.Healthy("database reachable and writable");
    }

    private static async Task ExecuteAsync(SqliteConnection connection, SqliteTransaction? transaction, string sql, CancellationToken ct)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandTimeout = 2;
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync(ct);
    }

    /// <summary>SQLite may already have rolled the transaction back itself after SQLITE_FULL.</summary>
    private static void TryRollback(SqliteTransaction transaction)
    {
        try
        {
            transaction.Rollback();
        }
        catch (Exception e) when (e is SqliteException or InvalidOperationException)
        {
            // Nothing left to undo.
        }
    }

    /// <summary>
    /// PostgreSQL cannot be probed for space without writing to the server's disk on purpose: a disk_full seen in the
    /// last minute keeps readiness unhealthy, and it clears once a minute passes without one.
    /// </summary>
    private HealthCheckResult? StillFull()
    {
        if (paths.IsSqlite || storage.FullSince is not { } since)
        {
            return null;
        }

        if (storage.Last.LastSeen is { } seen && clock.GetUtcNow().UtcDateTime - seen < TimeSpan.FromMinutes(1))
        {
            return Full(since);
        }

        storage.Recovered();
        return null;
    }

    private HealthCheckResult Full(DateTime? since) => HealthCheckResult.Unhealthy(
        $"storage full: the database cannot write (since {since:O}, {storage.Last.Failures} write(s) refused): {storage.Last.Error}",
        data: new Dictionary<string, object> { ["storageFull"] = true, ["since"] = since?.ToString("O") ?? string.Empty });

    /// <summary>
    /// The server answers within 2 s and takes writes: a standby (after a failover the old primary may come back as
    /// one) or a read-only default transaction would fail every save, so the instance is not ready.
    /// </summary>
    private async Task<HealthCheckResult> ProbePostgresAsync(CancellationToken ct)
    {
        await using var connection = new NpgsqlConnection(paths.ConnectionString);
        await connection.OpenAsync(ct);
        await using var command = connection.CreateCommand();
        command.CommandTimeout = 2;
        command.CommandText = "SELECT NOT pg_is_in_recovery() AND current_setting('transaction_read_only') = 'off'";
        return await command.ExecuteScalarAsync(ct) is true
            ? HealthCheckResult.Healthy("database reachable and writable")
            : HealthCheckResult.Unhealthy("database not writable: the server is a standby or read-only");
    }
}

public sealed class BackupHealthCheck(CrmDbContext db, DataPaths paths, IOptions<BackupOptions> options, TimeProvider clock) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (!paths.IsSqlite)
        {
            // The service takes no backups of a server database; the DBA's pg_dump or base backups are monitored there.
            return HealthCheckResult.Healthy("backups are the PostgreSQL server's (pg_dump / base backups), not this service's");
        }

        var last = await db.Backups.AsNoTracking().OrderByDescending(b => b.StartedAt).FirstOrDefaultAsync(cancellationToken);
        var lastGood = await db.Backups.AsNoTracking().Where(b => b.Succeeded).OrderByDescending(b => b.StartedAt).Select(b => (DateTime?)b.StartedAt).FirstOrDefaultAsync(cancellationToken);
        var data = new Dictionary<string, object> { ["lastGoodBackup"] = lastGood?.ToString("O") ?? "never" };
        if (last is { Succeeded: false })
        {
            return HealthCheckResult.Unhealthy($"the last backup failed: {last.Error}", data: data);
        }

        if (lastGood is null)
        {
            return HealthCheckResult.Degraded("no backup yet", data: data);
        }

        var age = clock.GetUtcNow().UtcDateTime - lastGood.Value;
        data["ageHours"] = Math.Round(age.TotalHours, 1);
        return age.TotalHours > options.Value.MaxAgeHours
            ? HealthCheckResult.Unhealthy($"the last good backup is {age.TotalHours:F0} hours old", data: data)
            : HealthCheckResult.Healthy("recent backup", data);
    }
}

public static class HealthWriter
{
    /// <summary>The usual JSON shape: overall status, and per check its status, description, duration and data.</summary>
    public static Task WriteAsync(HttpContext context, HealthReport report)
    {
        context.Response.ContentType = "application/json; charset=utf-8";
        var body = new
        {
            status = report.Status.ToString(),
            totalDuration = report.TotalDuration.ToString(),
            entries = report.Entries.ToDictionary(
                e => e.Key,
                e => new { status = e.Value.Status.ToString(), description = e.Value.Description, duration = e.Value.Duration.ToString(), data = e.Value.Data }),
        };
        return context.Response.WriteAsync(JsonSerializer.Serialize(body, JsonSerializerOptions.Web));
    }
}

/// <summary>The scheduler runs (unless switched off by configuration, which is said plainly).</summary>
public sealed class SchedulerHealthCheck(Quartz.ISchedulerFactory factory, IOptions<Jobs.JobsOptions> jobs) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (!jobs.Value.Enabled)
        {
            return HealthCheckResult.Healthy("scheduler disabled by configuration (Crm:Jobs:Enabled=false)");
        }

        var scheduler = await factory.GetScheduler(cancellationToken);
        var status = await scheduler.GetStatus(cancellationToken);
        return status == Quartz.SchedulerStatus.Running
            ? HealthCheckResult.Healthy("scheduler running")
            : HealthCheckResult.Unhealthy($"the scheduler is {status}: reminders and backups will not fire");
    }
}

/// <summary>Failed messages, or messages waiting for over an hour, make readiness degraded and name the count.</summary>
public sealed class OutboxHealthCheck(CrmDbContext db, TimeProvider clock) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var hourAgo = clock.GetUtcNow().UtcDateTime.AddHours(-1);
        var failed = await db.Outbox.CountAsync(m => m.Status == Features.Outbox.OutboxStatus.Failed, cancellationToken);
        var stale = await db.Outbox.CountAsync(m => (m.Status == Features.Outbox.OutboxStatus.Pending || m.Status == Features.Outbox.OutboxStatus.Sending) && m.CreatedAt < hourAgo, cancellationToken);
        var pending = await db.Outbox.CountAsync(m => m.Status == Features.Outbox.OutboxStatus.Pending || m.Status == Features.Outbox.OutboxStatus.Sending, cancellationToken);
        CrmMetrics.SetOutbox(pending, failed);
        var data = new Dictionary<string, object> { ["failed"] = failed, ["pendingOverAnHour"] = stale, ["pending"] = pending };
        return failed > 0 || stale > 0
            ? HealthCheckResult.Degraded($"{failed} failed message(s), {stale} waiting over an hour: see GET /api/admin/outbox", data: data)
            : HealthCheckResult.Healthy("outbox flowing", data);
    }
}
