using System.Net.Http.Json;
using Xuhui.Crm.Web.Features.Cases;
using Xuhui.Crm.Web.Tests.Infrastructure;

namespace Xuhui.Crm.Web.Tests.Targets;

/// <summary>A host holding the October scenario, with the two boundary moves made through the API on a ticking clock.</summary>
public class OctoberHost : CrmFactory, IAsyncLifetime
{
    public OctoberHost() => Clock.SetUtcNow(OctoberScenario.HostStart);

    public OctoberScenario.Ids Ids { get; private set; } = null!;

    protected override IEnumerable<KeyValuePair<string, string?>> Settings() => OctoberScenario.ReportRecipients;

    public async Task InitializeAsync()
    {
        Clock.SetUtcNow(new DateTimeOffset(2026, 10, 20, 2, 0, 0, TimeSpan.Zero));
        Ids = await WithDbAsync((db, _) => OctoberScenario.SeedAsync(db));

        // 23:59 Shanghai on 31 Oct: the approval is an October win.
        Clock.SetUtcNow(OctoberScenario.LastMinuteOfOctober);
        var admin = await AdminAsync();
        var approve = await admin.PostAsJsonAsync($"/api/cases/{Ids.BoundaryWinCase}/transitions", new TransitionRequest("applied", "approved", null, null), ApiJson.Options);
        approve.EnsureSuccessStatusCode();

        // 00:01 Shanghai on 1 Nov: this move belongs to November.
        Clock.SetUtcNow(OctoberScenario.FirstMinuteOfNovember);
        var nurture = await admin.PostAsJsonAsync($"/api/cases/{Ids.BoundaryNovemberCase}/transitions", new TransitionRequest("lead", "nurturing", null, null), ApiJson.Options);
        nurture.EnsureSuccessStatusCode();

        Clock.SetUtcNow(OctoberScenario.ReportTime);
    }

    Task IAsyncLifetime.DisposeAsync() => DisposeAsync().AsTask();
}
