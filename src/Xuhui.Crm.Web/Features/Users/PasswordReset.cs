using System.Security.Cryptography;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Xuhui.Crm.Domain.Users;
using Xuhui.Crm.Web.Data;

namespace Xuhui.Crm.Web.Features.Users;

/// <summary>The console's <c>reset-password &lt;user&gt;</c>, run with the service stopped (dispatched by the composition root).</summary>
public static class PasswordReset
{
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
        var before = UserAudit.Snapshot.Of(user);
        user.PasswordHash = scope.ServiceProvider.GetRequiredService<IPasswordHasher<User>>().HashPassword(user, password);
        user.FailedLogins = 0;
        user.LockedUntil = null;
        user.IsActive = true;
        user.SecurityStamp = Guid.NewGuid().ToString("N");
        // Run from the console: no signed-in actor, so the entry's user is empty.
        UserAudit.Record(db, user, "updated", before, passwordChanged: true);
        await db.SaveChangesAsync();
        await Console.Out.WriteLineAsync($"new password for {userName}: {password}");
        return 0;
    }
}
