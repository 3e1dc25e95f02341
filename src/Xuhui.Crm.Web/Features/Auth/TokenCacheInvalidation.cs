using Microsoft.EntityFrameworkCore;
using Xuhui.Crm.Domain.Users;
using Xuhui.Crm.Web.Data.Pipeline;

namespace Xuhui.Crm.Web.Features.Auth;

/// <summary>
/// A user or token written (login, logout, deactivation, role or password change): the cached token lookups of this
/// host are dropped once the save is over, whether it committed or not.
/// </summary>
internal sealed class TokenCacheInvalidation(TokenCache cache) : ISaveStep
{
    public SaveFollowUp? Before(SaveRun save)
    {
        if (save.Entries.Any(e => (e.State is EntityState.Added or EntityState.Modified or EntityState.Deleted) && e.Entity is User or AccessToken))
        {
            save.WhenEnded(cache.Invalidate);
        }

        return null;
    }
}
