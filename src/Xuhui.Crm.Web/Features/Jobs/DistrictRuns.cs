using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Xuhui.Crm.Domain.Districts;
using Xuhui.Crm.Web.Data;
using Xuhui.Crm.Web.Shared;
using Xuhui.Crm.Web.Shared.Localisation;

namespace Xuhui.Crm.Web.Features.Jobs;

/// <summary>
/// Runs a job body per district: the context's scope is set to each district in turn, so every query of the body (and
/// of the services it calls, which share the scoped context) sees that district only, through the same filters as a
/// district user's request. One district: a single run with no scope, exactly as before.
/// </summary>
public sealed class DistrictRuns(CrmDbContext db, IOptions<CrmOptions> options)
{
    public bool MultiDistrict => options.Value.MultiDistrict;

    /// <summary>Districts that hold firms (reports, snapshots); empty with one district.</summary>
    public async Task<List<string>> FirmDistrictsAsync(CancellationToken ct) => MultiDistrict
        ? await db.Firms.IgnoreQueryFilters().Select(f => f.DistrictCode).Distinct().OrderBy(c => c).ToListAsync(ct)
        : [];

    /// <summary>Districts of active users; null stands for the city-wide users.</summary>
    public async Task<List<string?>> UserDistrictsAsync(CancellationToken ct) => MultiDistrict
        ? await db.Users.Where(u => u.IsActive).Select(u => u.DistrictCode).Distinct().OrderBy(c => c).ToListAsync(ct)
        : [null];

    /// <summary>Runs <paramref name="body"/> with the scope set to each of <paramref name="districts"/>, clearing tracked rows between.</summary>
    public async Task<List<(string? District, T Result)>> ForEachAsync<T>(IEnumerable<string?> districts, Func<string?, Task<T>> body)
    {
        var results = new List<(string?, T)>();
        var original = db.District;
        try
        {
            foreach (var district in districts)
            {
                db.ChangeTracker.Clear();
                db.District = district;
                results.Add((district, await body(district)));
            }
        }
        finally
        {
            db.District = original;
        }

        return results;
    }

    /// <summary>Label for a job message.</summary>
    public static string Label(string? district) => district switch
    {
        null => Text.T("全市"),
        DistrictCodes.City => Text.T("全市"),
        _ => district,
    };
}
