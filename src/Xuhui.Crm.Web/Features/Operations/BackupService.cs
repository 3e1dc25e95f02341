using System.Globalization;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Xuhui.Crm.Web.Data;
using Xuhui.Crm.Web.Shared;
using Xuhui.Crm.Web.Shared.Localisation;

namespace Xuhui.Crm.Web.Features.Operations;

public sealed class BackupOptions
{
    /// <summary>Daily time (Asia/Shanghai) of the backup job, as HH:mm.</summary>
    public string Time { get; set; } = "02:30";
    public int KeepDaily { get; set; } = 30;
    public int KeepMonthly { get; set; } = 12;

    /// <summary>Readiness turns unhealthy when the last good backup is older than this.</summary>
    public int MaxAgeHours { get; set; } = 48;

    /// <summary>
    /// A backup file may not grow past this many megabytes (none when empty): on a volume shared with other data, a
    /// backup that would take the last of the space fails, visibly, instead of filling it.
    /// </summary>
    public double? MaxSizeMegabytes { get; set; }
}

public sealed record BackupResult(bool Succeeded, string File, long SizeBytes, string? Error);

/// <summary>
/// Consistent backups while the service keeps writing: SQLite's online backup API copies a snapshot page by page,
/// then the copy is checked with PRAGMA integrity_check before it counts.
/// </summary>
public sealed class BackupService(
    CrmDbContext db, DataPaths paths, IOptions<BackupOptions> options, TimeProvider clock, ILogger<BackupService> logger, StorageState? storage = null)
{
    public string BackupDirectory => Path.Combine(paths.DataDirectory, "backups");

    public async Task<BackupResult> BackupAsync(CancellationToken ct)
    {
        if (!paths.IsSqlite)
        {
            throw new InvalidOperationException("on PostgreSQL, backups are the database server's (pg_dump / base backups)");
        }

        OwnerOnlyFiles.CreateDirectory(BackupDirectory);
        var started = clock.GetUtcNow().UtcDateTime;
        var name = $"crm-{started:yyyyMMdd-HHmmss}-{Guid.NewGuid():N}"[..28] + ".db";
        var target = Path.Combine(BackupDirectory, name);
        var record = new BackupRecord { FileName = name, StartedAt = started };
        try
        {
            await using (var source = new SqliteConnection(paths.ConnectionString))
            await using (var destination = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = target, Pooling = false }.ToString()))
            {
                await source.OpenAsync(ct);
                await destination.OpenAsync(ct);
                if (options.Value.MaxSizeMegabytes is { } megabytes)
                {
                    // The copy keeps the source's page size; a limit of N pages makes the copy fail with SQLITE_FULL,
                    // exactly as a full disk under it would.
                    await using var limit = destination.CreateCommand();
                    limit.CommandText = $"PRAGMA max_page_count = {Math.Max(1, (long)(megabytes * 1024 * 1024 / PageSize(source))).ToString(CultureInfo.InvariantCulture)};";
                    await limit.ExecuteNonQueryAsync(ct);
                }

                source.BackupDatabase(destination);
                // A backup is one self-contained file: no -wal or -shm beside it.
                await using var journal = destination.CreateCommand();
                journal.CommandText = "PRAGMA journal_mode=DELETE;";
                await journal.ExecuteNonQueryAsync(ct);
            }

            // A backup holds the whole database: owner-only whatever the umask it was written under.
            OwnerOnlyFiles.RestrictFile(target);
            var check = Verify(target);
            if (check is not null)
            {
                throw new InvalidDataException($"integrity check failed: {check}");
            }

            record.SizeBytes = new FileInfo(target).Length;
            record.Succeeded = true;
        }
        catch (Exception ex) when (ex is SqliteException or IOException or InvalidDataException or UnauthorizedAccessException)
        {
            record.Succeeded = false;
            record.Error = StorageFull.Is(ex) ? Text.F("备份目标存储空间已满：{0}", ex.Message) : ex.Message;
            logger.LogError(ex, "Backup to {File} failed", name);
            TryDelete(target);
            TryDelete(target + "-journal");
            TryDelete(target + "-wal");
            TryDelete(target + "-shm");
        }

        record.CompletedAt = clock.GetUtcNow().UtcDateTime;
        db.Backups.Add(record);
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException e) when (StorageFull.Is(e))
        {
            // The live database is full too: the record cannot be written, so readiness and the job run carry it.
            storage?.Observe(e, "backup record");
            throw;
        }

        if (record.Succeeded)
        {
            await ApplyRetentionAsync(ct);
            logger.LogInformation("Backup {File} written and verified ({Bytes} bytes)", name, record.SizeBytes);
        }

        return new BackupResult(record.Succeeded, target, record.SizeBytes, record.Error);
    }

    private static long PageSize(SqliteConnection connection)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA page_size;";
        return Convert.ToInt64(command.ExecuteScalar(), CultureInfo.InvariantCulture);
    }

    /// <summary>Null when the file is a sound SQLite database of this application, else what is wrong.</summary>
    public static string? Verify(string file)
    {
        if (!File.Exists(file))
        {
            return "file not found";
        }

        try
        {
            using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = file, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString());
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "PRAGMA integrity_check;";
            var result = command.ExecuteScalar() as string;
            if (result != "ok")
            {
                return result ?? "no result";
            }

            command.CommandText = "SELECT count(*) FROM sqlite_master WHERE name = '__EFMigrationsHistory';";
            return Convert.ToInt64(command.ExecuteScalar(), CultureInfo.InvariantCulture) == 1 ? null : "not a Xuhui.Crm database (no migration history)";
        }
        catch (SqliteException ex)
        {
            return ex.Message;
        }
    }

    /// <summary>Keeps the newest <c>KeepDaily</c> backups plus the first backup of each of the last <c>KeepMonthly</c> months.</summary>
    private async Task ApplyRetentionAsync(CancellationToken ct)
    {
        var o = options.Value;
        var kept = await db.Backups.Where(b => b.Succeeded && b.Retained).OrderByDescending(b => b.StartedAt).ToListAsync(ct);
        var keep = kept.Take(o.KeepDaily).Select(b => b.Id).ToHashSet();
        foreach (var monthly in kept.GroupBy(b => (b.StartedAt.Year, b.StartedAt.Month)).OrderByDescending(g => g.Key).Take(o.KeepMonthly))
        {
            keep.Add(monthly.OrderBy(b => b.StartedAt).First().Id);
        }

        foreach (var old in kept.Where(b => !keep.Contains(b.Id)))
        {
            TryDelete(Path.Combine(BackupDirectory, old.FileName));
            old.Retained = false;
        }

        await db.SaveChangesAsync(ct);
    }

    private static void TryDelete(string file)
    {
        try
        {
            File.Delete(file);
        }
        catch (IOException)
        {
            // A leftover file is harmless; the record says it is not retained.
        }
    }
}
