using Xuhui.Crm.Web.Features.Operations;
using Xuhui.Crm.Web.Features.Users;
using Xuhui.Crm.Web.Shared;

namespace Xuhui.Crm.Web;

/// <summary>
/// Maintenance commands run with the service stopped, on the service's own configuration and services:
/// <c>restore &lt;file&gt;</c>, <c>backup</c> (Operations) and <c>reset-password &lt;user&gt;</c> (Users).
/// </summary>
public static class MaintenanceCommands
{
    public static bool Handles(string[] args) => args.Length > 0 && args[0] is "restore" or "reset-password" or "backup";

    public static async Task<int> RunAsync(string[] args)
    {
        await using var app = CrmHost.BuildForCommand(args.Skip(args[0] == "backup" ? 1 : 2).ToArray());
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
                return OpsCommands.Restore(args[1], paths);
            case "reset-password" when args.Length >= 2:
                return await PasswordReset.ResetPasswordAsync(app.Services, args[1]);
            case "backup":
                return await OpsCommands.BackupAsync(app.Services);
            default:
                await Console.Error.WriteLineAsync("usage: restore <backup-file> | reset-password <user-name> | backup");
                return 2;
        }
    }
}
