using System.Globalization;
using Xuhui.Crm.Web.Shared;

namespace Xuhui.Crm.Web.Features.Operations;

/// <summary>The backup and restore commands, run with the service stopped (dispatched by the composition root).</summary>
public static class OpsCommands
{
    /// <summary>A verified backup now, as the nightly job would take it.</summary>
    public static async Task<int> BackupAsync(IServiceProvider services)
    {
        await using var scope = services.CreateAsyncScope();
        var result = await scope.ServiceProvider.GetRequiredService<BackupService>().BackupAsync(CancellationToken.None);
        await Console.Out.WriteLineAsync(result.Succeeded ? $"backup written and verified: {result.File}" : $"backup FAILED: {result.Error}");
        return result.Succeeded ? 0 : 1;
    }

    /// <summary>Refuses a corrupt file; moves the live database aside (never overwrites it) before putting the backup in place.</summary>
    public static int Restore(string backupFile, DataPaths paths)
    {
        var problem = BackupService.Verify(backupFile);
        if (problem is not null)
        {
            Console.Error.WriteLine($"refused: {backupFile} is not a sound backup: {problem}");
            return 1;
        }

        OwnerOnlyFiles.CreateDirectory(paths.DataDirectory);
        var live = paths.DatabaseFile;
        if (File.Exists(live))
        {
            var aside = Path.Combine(paths.DataDirectory, $"pre-restore-{DateTime.UtcNow.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture)}");
            OwnerOnlyFiles.CreateDirectory(aside);
            foreach (var suffix in new[] { string.Empty, "-wal", "-shm" })
            {
                if (File.Exists(live + suffix))
                {
                    var moved = Path.Combine(aside, Path.GetFileName(live) + suffix);
                    File.Move(live + suffix, moved);
                    OwnerOnlyFiles.RestrictFile(moved);
                }
            }

            Console.WriteLine($"the live database was moved aside to {aside}");
        }

        File.Copy(backupFile, live);
        OwnerOnlyFiles.RestrictFile(live);
        Console.WriteLine($"restored {backupFile} to {live}; start the service");
        return 0;
    }
}
