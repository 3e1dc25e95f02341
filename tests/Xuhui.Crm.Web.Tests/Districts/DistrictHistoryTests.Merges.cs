using System.Net;
using Xuhui.Crm.Web.Tests.Infrastructure;

namespace Xuhui.Crm.Web.Tests.Districts;

public sealed partial class DistrictHistoryTests
{
    [Fact]
    public async Task A_merged_firms_old_id_points_only_its_own_district_to_the_survivor()
    {
        var (_, supervisorB) = await Host.UserInAsync("supervisor", CityFactory.Minhang);
        var (_, officerA) = await Host.UserInAsync("officer", CityFactory.Xuhui);
        var (_, viewer) = await Host.UserInAsync("city-viewer", null);
        var survivor = await supervisorB.CreateFirmAsync(TestData.Firm("闵行存续科技有限公司").With("zone", null));
        var duplicate = await supervisorB.CreateFirmAsync(TestData.Firm("闵行重复科技有限公司").With("zone", null));
        await supervisorB.PostJsonAsync($"/api/firms/{duplicate.Id()}/merge", new { intoId = survivor.Id() }, HttpStatusCode.OK);

        foreach (var reader in new[] { supervisorB, viewer })
        {
            using var redirect = await reader.GetAsync($"/api/firms/{duplicate.Id()}");
            Assert.Equal(HttpStatusCode.PermanentRedirect, redirect.StatusCode);
            Assert.Equal($"/api/firms/{survivor.Id()}", redirect.Headers.Location!.OriginalString);
        }

        // Another district's reader learns nothing: the same 404 as an id that never existed, no Location.
        using var foreign = await officerA.GetAsync($"/api/firms/{duplicate.Id()}");
        Assert.Equal(HttpStatusCode.NotFound, foreign.StatusCode);
        Assert.Null(foreign.Headers.Location);
        using var missing = await officerA.GetAsync("/api/firms/987654321");
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
    }
}
