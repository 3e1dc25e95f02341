using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MimeKit;
using Xuhui.Crm.Domain.Cases;
using Xuhui.Crm.Domain.Firms;
using Xuhui.Crm.Web.Data;
using Xuhui.Crm.Web.Features.Search;
using Xuhui.Crm.Web.Features.Reminders;
using Xuhui.Crm.Web.Features.Reports;
using Xuhui.Crm.Web.Features.Jobs;
using Xuhui.Crm.Web.Features.Operations;
using Xuhui.Crm.Web.Tests.Infrastructure;
using Xuhui.Crm.Web.Features.Outbox;

namespace Xuhui.Crm.Web.Tests.Districts;

/// <summary>Jobs run per district: each officer's digest speaks of their district only; snapshots exist per district and for the city.</summary>
public sealed class DistrictJobTests(CityFactory host) : IClassFixture<CityFactory>
{
    [Fact]
    public async Task Digests_and_month_end_snapshots_run_per_district()
    {
        var (officerA, clientA) = await host.UserInAsync("officer", CityFactory.Xuhui);
        var (officerB, clientB) = await host.UserInAsync("officer", CityFactory.Minhang);
        var firmA = await clientA.CreateFirmAsync(TestData.Firm("徐汇摘要测试有限公司"));
        var firmB = await clientB.CreateFirmAsync(TestData.Firm("闵行摘要测试有限公司").With("zone", "zizhu-hi-tech-zone"));
        foreach (var (client, firm) in new[] { (clientA, firmA), (clientB, firmB) })
        {
            await client.PostJsonAsync(
                "/api/visits",
                new { firmId = firm.Id(), kind = "on-site", on = "2026-06-01", summary = "走访", followUps = new[] { new { title = "逾期跟进" + firm.Str("name"), dueOn = "2026-06-10" } } },
                HttpStatusCode.Created);
        }

        var digest = await host.WithDbAsync((db, sp) => sp.GetRequiredService<DigestComposer>().ComposeAsync(new DateOnly(2026, 6, 15), CancellationToken.None));
        Assert.True(digest.Queued >= 2, $"queued {digest.Queued}");
        var bodies = await host.WithDbAsync(async db => (await db.Outbox.AsNoTracking().Where(m => m.Kind == DigestComposer.OutboxKind).ToListAsync())
            .ToDictionary(m => m.RecipientUserId!.Value, m => MimeMessage.Load(new MemoryStream(m.Mime)).TextBody));
        Assert.Contains("徐汇摘要测试有限公司", bodies[officerA.Id]);
        Assert.DoesNotContain("闵行摘要测试有限公司", bodies[officerA.Id]);
        Assert.Contains("闵行摘要测试有限公司", bodies[officerB.Id]);
        Assert.DoesNotContain("徐汇摘要测试有限公司", bodies[officerB.Id]);

        var message = await host.WithDbAsync((db, sp) => ReportSchedule.RunMonthEndSnapshotAsync(
            sp.GetRequiredService<MonthlySnapshots>(), new DateOnly(2026, 6, 1), CancellationToken.None, sp.GetRequiredService<DistrictRuns>()));
        Assert.Contains("全市", message);
        var snapshots = await host.WithDbAsync(db => db.MonthlySnapshots.IgnoreQueryFilters().Where(s => s.Month == "2026-05")
            .Select(s => s.DistrictCode).OrderBy(c => c).ToListAsync());
        Assert.Equal(["310000", CityFactory.Xuhui, CityFactory.Minhang], snapshots);

        // A re-fired trigger adds nothing.
        await host.WithDbAsync((db, sp) => ReportSchedule.RunMonthEndSnapshotAsync(
            sp.GetRequiredService<MonthlySnapshots>(), new DateOnly(2026, 6, 1), CancellationToken.None, sp.GetRequiredService<DistrictRuns>()));
        Assert.Equal(3, await host.WithDbAsync(db => db.MonthlySnapshots.IgnoreQueryFilters().CountAsync(s => s.Month == "2026-05")));

        // Each district reads its own frozen report; the city viewer reads the city's or names a district.
        var reportA = await clientA.GetJsonAsync("/api/reports/monthly/2026-05");
        Assert.True(reportA["frozen"]!.GetValue<bool>());
        Assert.Equal(CityFactory.Xuhui, reportA["targets"].Str("district"));
        var (_, viewer) = await host.UserInAsync("city-viewer", null);
        Assert.Equal("310000", (await viewer.GetJsonAsync("/api/reports/monthly/2026-05"))["targets"].Str("district"));
        Assert.Equal(CityFactory.Minhang, (await viewer.GetJsonAsync($"/api/reports/monthly/2026-05?district={CityFactory.Minhang}"))["targets"].Str("district"));
        using var foreign = await clientA.GetAsync($"/api/reports/monthly/2026-05?district={CityFactory.Minhang}");
        Assert.Equal(HttpStatusCode.NotFound, foreign.StatusCode);

        // The running month's live report counts the district's own visits only.
        var liveA = await clientA.GetJsonAsync("/api/reports/monthly/2026-06");
        Assert.Equal(1, liveA["visits"]!["visits"]!.GetValue<int>());
        var liveCity = await viewer.GetJsonAsync("/api/reports/monthly/2026-06");
        Assert.Equal(2, liveCity["visits"]!["visits"]!.GetValue<int>());
    }
}
