using Microsoft.EntityFrameworkCore;
using Xuhui.Crm.Domain.Districts;

namespace Xuhui.Crm.Web.Data.Pipeline;

/// <summary>New district rows go to the scope's district (a district user cannot write into another), else the home district.</summary>
public static class DistrictStamp
{
    /// <param name="scope">The context's district scope (<see cref="CrmDbContext.District"/>); null for no scope.</param>
    /// <param name="home">The deployment's own district (<see cref="CrmDbContext.HomeDistrict"/>).</param>
    public static void New(IDistrictOwned owned, string? scope, string home)
    {
        if (scope is not null)
        {
            owned.DistrictCode = scope;
        }
        else if (string.IsNullOrEmpty(owned.DistrictCode))
        {
            owned.DistrictCode = home;
        }
    }
}

/// <summary>The district of the save's new rows.</summary>
internal sealed class DistrictStampStep : ISaveStep
{
    public SaveFollowUp? Before(SaveRun save)
    {
        foreach (var entry in save.Written)
        {
            if (entry.State == EntityState.Added && entry.Entity is IDistrictOwned owned)
            {
                DistrictStamp.New(owned, save.Db.District, save.Db.HomeDistrict);
            }
        }

        return null;
    }
}
