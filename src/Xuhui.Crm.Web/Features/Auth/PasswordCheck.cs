using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Xuhui.Crm.Domain.Users;
using Xuhui.Crm.Web.Data;
using Xuhui.Crm.Web.Infrastructure;

namespace Xuhui.Crm.Web.Features.Auth;

public enum PasswordOutcome
{
    Valid,
    Invalid,
    Locked,
}

/// <param name="User">The tracked user when <see cref="PasswordOutcome.Valid"/>; changes are saved by the caller.</param>
/// <remarks>
/// <see cref="PasswordOutcome.Locked"/> is for the server's own use only: callers answer it exactly as a wrong password,
/// so locked accounts cannot be told from unknown ones.
/// </remarks>
public sealed record PasswordVerdict(PasswordOutcome Outcome, User? User = null, DateTime? LockedUntil = null);

/// <summary>
/// The one password check behind the API token login and the web cookie login: unknown and inactive users cost the
/// same as a wrong password, failures count towards a lockout, success resets the counter (and rehashes if needed).
/// </summary>
public sealed class PasswordCheck(CrmDbContext db, IPasswordHasher<User> hasher, TimeProvider clock, IOptions<CrmOptions> options)
{
    public async Task<PasswordVerdict> VerifyAsync(string userName, string password, CancellationToken ct)
    {
        var auth = options.Value.Auth;
        var now = clock.GetUtcNow().UtcDateTime;
        var user = await db.Users.FirstOrDefaultAsync(u => u.UserName == userName.Trim(), ct);
        if (user is null || !user.IsActive)
        {
            // Same cost and answer as a wrong password, so user names cannot be probed.
            hasher.VerifyHashedPassword(new User(), DummyHash(hasher), password);
            return new PasswordVerdict(PasswordOutcome.Invalid);
        }

        if (user.LockedUntil > now)
        {
            // The same hash work as any other attempt: a locked account must not answer measurably faster.
            hasher.VerifyHashedPassword(new User(), DummyHash(hasher), password);
            return new PasswordVerdict(PasswordOutcome.Locked, LockedUntil: user.LockedUntil);
        }

        var verdict = hasher.VerifyHashedPassword(user, user.PasswordHash, password);
        if (verdict == PasswordVerificationResult.Failed)
        {
            user.FailedLogins++;
            if (user.FailedLogins >= auth.MaxFailedLogins)
            {
                user.LockedUntil = now.AddMinutes(auth.LockoutMinutes);
                user.FailedLogins = 0;
            }

            await db.SaveChangesAsync(ct);
            return new PasswordVerdict(PasswordOutcome.Invalid);
        }

        if (verdict == PasswordVerificationResult.SuccessRehashNeeded)
        {
            user.PasswordHash = hasher.HashPassword(user, password);
        }

        user.FailedLogins = 0;
        user.LockedUntil = null;
        return new PasswordVerdict(PasswordOutcome.Valid, user);
    }

    private static string? _dummyHash;

    /// <summary>Made by the host's own hasher, so verifying it costs the configured iterations like a real user's hash.</summary>
    private static string DummyHash(IPasswordHasher<User> hasher) =>
        _dummyHash ??= hasher.HashPassword(new User(), Guid.NewGuid().ToString());
}
