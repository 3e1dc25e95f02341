using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Xuhui.Crm.Domain.Auditing;
using Xuhui.Crm.Domain.Targets;
using Xuhui.Crm.Domain.Users;
using Xuhui.Crm.Web.Data;
using Xuhui.Crm.Web.Data.Pipeline;
using Xuhui.Crm.Web.Features.Search;
using Xuhui.Crm.Web.Features.Contacts;
using Xuhui.Crm.Web.Shared;
using Xuhui.Crm.Web.Shared.Localisation;

namespace Xuhui.Crm.Web.Features.Users;

/// <summary>
/// The audit trail of user administration. Users are not audited by the generic field diff: a login writes lockout
/// counters and a sign-in change rotates the security stamp, neither of which is an administrator's act, and the
/// password hash must never reach the trail. So each administrative act names the fields it records; a new password is
/// recorded as the fact that it was set, never its value or hash. Rows sit under the district convention (firm id 0),
/// found by entity type and id.
/// </summary>
public static class UserAudit
{
    public const string PasswordSet = "[已重置]";

    /// <summary>What the trail shows of a user: everything an administrator edits, nothing secret.</summary>
    public sealed record Snapshot(string UserName, string DisplayName, string? Email, string Role, long? SupervisorId, string? District, bool IsActive)
    {
        public static Snapshot Of(User u) => new(u.UserName, u.DisplayName, u.Email, u.Role, u.SupervisorId, u.DistrictCode, u.IsActive);
    }

    /// <summary>Adds the audit row of one act on <paramref name="user"/> to the context's pending changes (written by the next save).</summary>
    public static void Record(CrmDbContext db, User user, string action, Snapshot? before, bool passwordChanged, params AuditChange[] extra)
    {
        var after = Snapshot.Of(user);
        var changes = new List<AuditChange>();
        Compare(changes, nameof(User.UserName), before?.UserName, after.UserName);
        Compare(changes, nameof(User.DisplayName), before?.DisplayName, after.DisplayName);
        Compare(changes, nameof(User.Email), before?.Email, after.Email);
        Compare(changes, nameof(User.Role), before?.Role, after.Role);
        Compare(changes, nameof(User.SupervisorId), AuditRows.Format(before?.SupervisorId), AuditRows.Format(after.SupervisorId));
        Compare(changes, nameof(User.DistrictCode), before?.District, after.District);
        Compare(changes, nameof(User.IsActive), before is null ? null : AuditRows.Format(before.IsActive), AuditRows.Format(after.IsActive));
        if (passwordChanged)
        {
            changes.Add(new AuditChange("Password", null, PasswordSet));
        }

        changes.AddRange(extra);
        db.AuditEntries.Add(new AuditEntry
        {
            FirmId = DistrictAudit.FirmId,
            EntityType = nameof(User),
            EntityId = user.Id,
            Action = action,
            Changes = changes,
            UserId = db.ActorId,
            At = db.Clock.GetUtcNow().UtcDateTime,
        });
    }

    private static void Compare(List<AuditChange> changes, string field, string? before, string? after)
    {
        if (before != after)
        {
            changes.Add(new AuditChange(field, before, after));
        }
    }

    /// <summary>GET /api/users/{id}/audit: newest first, shaped like a firm's trail; another district's user is not found.</summary>
    public static async Task<Results<Ok<List<AuditEntryDto>>, ProblemHttpResult>> Trail(long id, CrmDbContext db, int? limit, CancellationToken ct)
    {
        if (!await UserDirectory.Visible(db).AnyAsync(u => u.Id == id, ct))
        {
            return Problems.NotFound(Messages.UserNotFound(id));
        }

        var take = Math.Clamp(limit ?? 500, 1, 5000);
        return TypedResults.Ok(await db.AuditEntries.AsNoTracking().Where(a => a.EntityType == nameof(User) && a.EntityId == id)
            .OrderByDescending(a => a.At).ThenByDescending(a => a.Id).Take(take)
            .Select(a => new AuditEntryDto(a.Id, a.EntityType, a.EntityId, a.Action, a.Changes, a.UserId, a.At))
            .ToListAsync(ct));
    }
}
