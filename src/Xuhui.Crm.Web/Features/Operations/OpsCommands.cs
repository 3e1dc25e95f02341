using System.Globalization;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Xuhui.Crm.Domain.Users;
using Xuhui.Crm.Web.Data;
using Xuhui.Crm.Web.Features.Search;
using Xuhui.Crm.Web.Shared;

namespace Xuhui.Crm.Web.Features.Operations;

/// <summary>
/// Maintenance commands run with the service stopped:
/// <c>restore &lt;file&gt;</c> and <c>reset-password &lt;user&gt;</c> (same configuration as the service).
/// The composition root hands in how the service's host is built, so the commands see the same services.
/// </summary>
public static class OpsCommands
{
    public static bool Handles(string[] args) => args.Length > 0 && args[0] is "restore" or "reset-password" or "backup";

    public static async Task<int> RunAsync(string[] args, Func<string[], WebApplication> buildHost)
    {
        await using var app = buildHost(args.Skip(args[0] == "backup" ? 1 : 2).ToArray());
        var paths = app.Services.GetRequiredService<DataPaths>();
        if (!paths.IsSqlite && args[0] is "restore" or "backup")
        {
            await Console.Error.WriteLineAsync(
                "on PostgreSQL, backups and restores are the database server's: pg_dump / pg_restore or base backups (see README, \"Running for a city\")");
            return 2;
        }

        switch (args[0])
        {
            case "restore" when args.Length >= 2:
                return Restore(args[1], paths);
            case "reset-password" when args.Length >= 2:
                return await ResetPasswordAsync(app.Services, args[1]);
            case "backup":
                await using (var scope = app.Services.CreateAsyncScope())
                {
                    var result = await scope.ServiceProvider.GetRequiredService<BackupService>().BackupAsync(CancellationToken.None);
                    await Console.Out.WriteLineAsync(result.Succeeded ? $"backup written and verified: {result.File}" : $"backup FAILED: {result.Error}");
                    return result.Succeeded ? 0 : 1;
                }

            default:
                await Console.Error.WriteLineAsync("usage: restore <backup-file> | reset-password <user-name> | backup");
                return 2;
        }
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

    /// <summary>For when the only admin is locked out: a new random password, printed once; lockout cleared, old tokens revoked.</summary>
    public static async Task<int> ResetPasswordAsync(IServiceProvider services, string userName)
    {
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CrmDbContext>();
        var user = await db.Users.FirstOrDefaultAsync(u => u.UserName == userName);
        if (user is null)
        {
            await Console.Error.WriteLineAsync($"no user named {userName}");
            return 1;
        }

        var password = Convert.ToBase64String(RandomNumberGenerator.GetBytes(18)).Replace('+', 'x').Replace('/', 'y');
        var before = Users.UserAudit.Snapshot.Of(user);
        user.PasswordHash = scope.ServiceProvider.GetRequiredService<IPasswordHasher<User>>().HashPassword(user, password);
        user.FailedLogins = 0;
        user.LockedUntil = null;
        user.IsActive = true;
        user.SecurityStamp = Guid.NewGuid().ToString("N");
        // Run from the console: no signed-in actor, so the entry's user is empty.
        Users.UserAudit.Record(db, user, "updated", before, passwordChanged: true);
        await db.SaveChangesAsync();
        await Console.Out.WriteLineAsync($"new password for {userName}: {password}");
        return 0;
    }
}
