using System.Collections.Concurrent;
using System.Net;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Xuhui.Crm.Web.Features.Operations;
using Xuhui.Crm.Web.Tests.Infrastructure;

namespace Xuhui.Crm.Web.Tests.Operations;

// SQLite online backups and file restore; on PostgreSQL backups are pg_dump, outside the service.
[Trait("Provider", "SqliteOnly")]
public sealed class BackupTests(CrmFactory factory) : IClassFixture<CrmFactory>
{
    [Fact]
    public async Task A_backup_taken_under_concurrent_writes_restores_into_a_fresh_directory_with_every_row_committed_before_it()
    {
        using var admin = await factory.AdminAsync();
        var committed = new ConcurrentBag<long>();
        using var stop = new CancellationTokenSource();
        var writer = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                committed.Add((await admin.CreateFirmAsync()).Id());
            }
        });

        // Wait for writes rather than for a fixed time: on a loaded machine 1.5 s once gave a single firm.
        await UntilAsync(() => committed.Count > 5);
        var before = committed.ToHashSet();
        var result = await factory.WithDbAsync((_, sp) => sp.GetRequiredService<BackupService>().BackupAsync(CancellationToken.None));
        var after = committed.Count;
        await UntilAsync(() => committed.Count > after);
        await stop.CancelAsync();
        await writer;

        Assert.True(result.Succeeded, result.Error);
        Assert.True(before.Count > 5, $"the writer committed only {before.Count} firms before the backup");
        Assert.True(committed.Count > before.Count, "writes went on during and after the backup");
        Assert.False(File.Exists(result.File + "-wal"), "a backup is one self-contained file");

        var fresh = Directory.CreateTempSubdirectory("crm-restore-").FullName;
        try
        {
            var (code, output) = await WebHostProcess.RunAsync(new Dictionary<string, string> { ["Crm__DataDirectory"] = fresh }, "restore", result.File);
            Assert.True(code == 0, output);
            var restored = ReadIds(Path.Combine(fresh, "crm.db"));
            Assert.Empty(before.Except(restored));
            Assert.Null(BackupService.Verify(Path.Combine(fresh, "crm.db")));
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            Directory.Delete(fresh, recursive: true);
        }
    }

    private static async Task UntilAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow.AddMinutes(1);
        while (!condition() && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50);
        }
    }

    [Fact]
    public async Task Restoring_a_corrupt_file_is_refused_and_leaves_the_live_database_in_place()
    {
        var dir = Directory.CreateTempSubdirectory("crm-restore-").FullName;
        try
        {
            var live = Path.Combine(dir, "crm.db");
            File.Copy(factory.DatabaseFile, live);
            var liveBytes = await File.ReadAllBytesAsync(live);
            var corrupt = Path.Combine(dir, "corrupt.db");
            await File.WriteAllBytesAsync(corrupt, [.. liveBytes.Take(8192), .. new byte[4096]]);

            var (code, output) = await WebHostProcess.RunAsync(new Dictionary<string, string> { ["Crm__DataDirectory"] = dir }, "restore", corrupt);

            Assert.Equal(1, code);
            Assert.Contains("refused", output, StringComparison.Ordinal);
            Assert.Equal(liveBytes, await File.ReadAllBytesAsync(live));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public async Task Restoring_over_a_live_database_moves_it_aside_instead_of_overwriting_it()
    {
        var result = await factory.WithDbAsync((_, sp) => sp.GetRequiredService<BackupService>().BackupAsync(CancellationToken.None));
        var dir = Directory.CreateTempSubdirectory("crm-restore-").FullName;
        try
        {
            var live = Path.Combine(dir, "crm.db");
            File.Copy(factory.DatabaseFile, live);
            var liveBytes = await File.ReadAllBytesAsync(live);

            var (code, output) = await WebHostProcess.RunAsync(new Dictionary<string, string> { ["Crm__DataDirectory"] = dir }, "restore", result.File);

            Assert.True(code == 0, output);
            var aside = Directory.GetDirectories(dir, "pre-restore-*").Single();
            Assert.Equal(liveBytes, await File.ReadAllBytesAsync(Path.Combine(aside, "crm.db")));
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public async Task Readiness_reports_the_backup_age_and_turns_unhealthy_after_a_failed_backup()
    {
        using var anonymous = factory.Anonymous();
        await factory.WithDbAsync((_, sp) => sp.GetRequiredService<BackupService>().BackupAsync(CancellationToken.None));
        var ready = await (await anonymous.GetAsync("/health/ready")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("Healthy", ready.Str("status"));

        await factory.WithDbAsync(async db =>
        {
            db.Backups.Add(new BackupRecord { FileName = "x.db", StartedAt = factory.Clock.GetUtcNow().UtcDateTime.AddMinutes(1), Succeeded = false, Error = "disk full" });
            await db.SaveChangesAsync();
        });
        var failed = await (await anonymous.GetAsync("/health/ready")).ExpectAsync(HttpStatusCode.ServiceUnavailable);
        Assert.Equal("Unhealthy", failed!["entries"]!["backup"].Str("status"));
        Assert.Contains("disk full", failed["entries"]!["backup"].Str("description"), StringComparison.Ordinal);
    }

    private static HashSet<long> ReadIds(string file)
    {
        using var connection = new SqliteConnection($"Data Source={file};Mode=ReadOnly;Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT Id FROM Firms";
        using var reader = command.ExecuteReader();
        var ids = new HashSet<long>();
        while (reader.Read())
        {
            ids.Add(reader.GetInt64(0));
        }

        return ids;
    }
}
