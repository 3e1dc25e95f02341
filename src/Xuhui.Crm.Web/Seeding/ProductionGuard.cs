using Microsoft.EntityFrameworkCore;
using Xuhui.Crm.Web.Data;
using Xuhui.Crm.Web.Features.Search;
using Xuhui.Crm.Web.Features.Operations;
using Xuhui.Crm.Web.Shared;

namespace Xuhui.Crm.Web.Seeding;

/// <summary>A production deployment refuses to start with demo data or without a chosen admin password.</summary>
public static class ProductionGuard
{
    public static async Task CheckAsync(CrmDbContext db, CrmOptions options, CancellationToken ct)
    {
        var problems = new List<string>();
        if (options.Seed.Demo)
        {
            problems.Add("Crm:Seed:Demo is true: set Crm__Seed__Demo=false in production");
        }

        if (await db.AppSettings.AnyAsync(s => s.Key == AppSetting.DemoDataLoaded, ct) && !options.Seed.AllowDemoDataInProduction)
        {
            problems.Add("the database holds the demo data set: start from an empty database (or a restored backup)");
        }

        if (string.IsNullOrWhiteSpace(options.Bootstrap.AdminPassword) && !await db.Users.AnyAsync(u => u.UserName == "admin", ct))
        {
            problems.Add("no admin exists yet and Crm:Bootstrap:AdminPassword is not set: set Crm__Bootstrap__AdminPassword for the first start");
        }

        if (problems.Count > 0)
        {
            throw new InvalidOperationException("Refusing to start in Production: " + string.Join("; ", problems));
        }
    }
}
