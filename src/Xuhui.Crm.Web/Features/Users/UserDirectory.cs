using Microsoft.EntityFrameworkCore;
using Xuhui.Crm.Domain.Users;
using Xuhui.Crm.Web.Data;

namespace Xuhui.Crm.Web.Features.Users;

/// <summary>Who exists and who may be named on a firm's work: the Users feature's public service for every other feature.</summary>
public static class UserDirectory
{
    /// <summary>
    /// The users of the context's district scope (all with no scope). Users carry no global filter: a transferred firm's
    /// cases and history still name officers of its old district, and a filtered join would drop those rows.
    /// </summary>
    public static IQueryable<User> Visible(CrmDbContext db) =>
        db.District is { } district ? db.Users.Where(u => u.DistrictCode == district) : db.Users;

    /// <summary>
    /// Who may be named on a firm's work (lead or co-officer, case owner, task assignee, visit officer, request handler):
    /// an active user who writes, among those the caller sees. With several districts also of the firm's own district
    /// (or city-wide), so a city admin cannot hand one district's firm to another district's officer either.
    /// </summary>
    public static IQueryable<User> Assignable(CrmDbContext db, string? firmDistrict)
    {
        var users = Visible(db).Where(u => u.IsActive && u.Role != Roles.Viewer && u.Role != Roles.CityViewer);
        return db.MultiDistrict && firmDistrict is not null ? users.Where(u => u.DistrictCode == null || u.DistrictCode == firmDistrict) : users;
    }

    /// <summary><see cref="Assignable(CrmDbContext, string?)"/> for an existing firm (another district's firm is not found: no one is).</summary>
    public static IQueryable<User> Assignable(CrmDbContext db, long firmId)
    {
        var users = Visible(db).Where(u => u.IsActive && u.Role != Roles.Viewer && u.Role != Roles.CityViewer);
        return db.MultiDistrict
            ? users.Where(u => db.Firms.Any(f => f.Id == firmId && (u.DistrictCode == null || f.DistrictCode == u.DistrictCode)))
            : users;
    }

    /// <summary>The active users the caller sees, in id order (pickers and name lookups).</summary>
    public static Task<List<OfficerDto>> OfficersAsync(CrmDbContext db, CancellationToken ct) =>
        Visible(db).AsNoTracking().Where(u => u.IsActive).OrderBy(u => u.Id)
            .Select(u => new OfficerDto(u.Id, u.DisplayName, u.Role, u.SupervisorId)).ToListAsync(ct);
}
