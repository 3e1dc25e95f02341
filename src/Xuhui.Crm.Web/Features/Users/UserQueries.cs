using Microsoft.EntityFrameworkCore;
using Xuhui.Crm.Web.Data;

namespace Xuhui.Crm.Web.Features.Users;

/// <summary>The user reads the API and the users page share.</summary>
public static class UserQueries
{
    /// <summary>The users the caller's district scope shows, by id.</summary>
    public static async Task<List<UserDto>> ListAsync(CrmDbContext db, CancellationToken ct) =>
        (await UserDirectory.Visible(db).AsNoTracking().OrderBy(u => u.Id).ToListAsync(ct)).Select(UserDto.From).ToList();

    public static async Task<UserDto?> FindAsync(CrmDbContext db, long id, CancellationToken ct) =>
        await UserDirectory.Visible(db).AsNoTracking().FirstOrDefaultAsync(u => u.Id == id, ct) is { } u ? UserDto.From(u) : null;
}
