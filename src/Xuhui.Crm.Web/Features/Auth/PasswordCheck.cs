using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Xuhui.Crm.Domain.Users;
using Xuhui.Crm.Web.Data;
using Xuhui.Crm.Web.Features.Search;
using Xuhui.Crm.Web.Shared;

namespace Xuhui.Crm.Web.Features.Auth;

public enum PasswordOutcome
{
    Valid,
    Invalid,
    Locked,
}

/// <param name="User">The user when <see cref="PasswordOutcome.Valid"/>; the counter reset and any rehash are already written.</param>
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
        // Concurrent attempts for one user must neither lose a count nor fail on the user's version: the counter and the
        // lock are one conditional UPDATE on the current row (no version bump: they are the system's, not an edit),
        // and an attempt that finds the account locked by a concurrent one is answered as locked.
        var unlocked = db.Users.Where(u => u.Id == user.Id && (u.LockedUntil == null || u.LockedUntil <= now));
        if (verdict == PasswordVerificationResult.Failed)
        {
            var max = auth.MaxFailedLogins;
            var until = now.AddMinutes(auth.LockoutMinutes);
            var counted = await unlocked.ExecuteUpdateAsync(
                s => s.SetProperty(u => u.LockedUntil, u => u.FailedLogins + 1 >= max ? until : u.LockedUntil)
                    .SetProperty(u => u.FailedLogins, u => u.FailedLogins + 1 >= max ? 0 : u.FailedLogins + 1),
                ct);
            return counted == 0 ? await LockedAsync(user.Id, until, ct) : new PasswordVerdict(PasswordOutcome.Invalid);
        }

        // Most logins have nothing to reset: they write nothing, and only check that no concurrent failure locked the account.
        var reset = await unlocked.Where(u => u.FailedLogins != 0 || u.LockedUntil != null)
            .ExecuteUpdateAsync(s => s.SetProperty(u => u.FailedLogins, 0).SetProperty(u => u.LockedUntil, (DateTime?)null), ct);
        if (reset == 0 && !await unlocked.AnyAsync(ct))
        {
            return await LockedAsync(user.Id, now.AddMinutes(auth.LockoutMinutes), ct);
        }

        if (verdict == PasswordVerificationResult.SuccessRehashNeeded)
        {
            // Only over the hash that was verified: a password changed meanwhile is not overwritten.
            var verified = user.PasswordHash;
            var rehashed = hasher.HashPassword(user, password);
            await db.Users.Where(u => u.Id == user.Id && u.PasswordHash == verified)
                .ExecuteUpdateAsync(s => s.SetProperty(u => u.PasswordHash, rehashed), ct);
        }

        return new PasswordVerdict(PasswordOutcome.Valid, user);
    }

    private async Task<PasswordVerdict> LockedAsync(long userId, DateTime fallback, CancellationToken ct)
    {
        var until = await db.Users.Where(u => u.Id == userId).Select(u => u.LockedUntil).FirstOrDefaultAsync(ct);
        return new PasswordVerdict(PasswordOutcome.Locked, LockedUntil: until ?? fallback);
    }

    private static string? _dummyHash;

    /// <summary>Made by the host's own hasher, so verifying it costs the configured iterations like a real user's hash.</summary>
    private static string DummyHash(IPasswordHasher<User> hasher) =>
        _dummyHash ??= hasher.HashPassword(new User(), Guid.NewGuid().ToString());
}
