using System.Net;
using System.Text.Json.Nodes;
using Xuhui.Crm.Domain.Cases;
using Xuhui.Crm.Domain.Firms;
using Xuhui.Crm.Web.Tests.Infrastructure;

namespace Xuhui.Crm.Web.Tests.Districts;

public sealed partial class DistrictHistoryTests
{
    [Fact]
    public async Task A_firm_transferred_in_May_counts_in_Xuhuis_April_report_and_Minhangs_May_report()
    {
        var (officerA, clientA) = await Host.UserInAsync("officer", CityFactory.Xuhui);
        var (officerB, _) = await Host.UserInAsync("officer", CityFactory.Minhang);
        var (_, viewer) = await Host.UserInAsync("city-viewer", null);
        using var admin = await Host.AdminAsync();

        // Nurturing since March, preparing from 15 April (an advance in April); visited on 20 April with a follow-up due on
        // the 25th and never done (overdue at the end of April and of May); moved on 10 May.
        var firmId = await Host.WithDbAsync(async db =>
        {
            var firm = new Firm { Name = "报表迁移科技有限公司", DistrictCode = CityFactory.Xuhui, DistrictName = "徐汇区", LeadOfficerId = officerA.Id, Zone = "caohejing" };
            firm.StatusChanges.Add(new FirmStatusChange { Status = FirmStatus.Active, EffectiveOn = new DateOnly(2015, 1, 1) });
            var c = new Case { Firm = firm, Program = "hnte", Stage = "preparing", StageSince = new DateOnly(2026, 4, 15), OpenedOn = new DateOnly(2026, 3, 2), IsOpen = true, OwnerId = officerA.Id };
            c.Transitions.Add(new CaseTransition { FromStage = null, ToStage = "nurturing", On = new DateOnly(2026, 3, 2) });
            c.Transitions.Add(new CaseTransition { FromStage = "nurturing", ToStage = "preparing", On = new DateOnly(2026, 4, 15) });
            db.Cases.Add(c);
            await db.SaveChangesAsync();
            return firm.Id;
        });
        await clientA.PostJsonAsync(
            "/api/visits",
            new { firmId, kind = "on-site", on = "2026-04-20", summary = "申报材料辅导", followUps = new[] { new { title = "补交研发费用台账", dueOn = "2026-04-25" } } },
            HttpStatusCode.Created);
        var version = (await admin.GetJsonAsync($"/api/firms/{firmId}")).Version();
        await admin.PostJsonAsync(
            $"/api/firms/{firmId}/transfer", new { toDistrict = CityFactory.Minhang, effectiveOn = "2026-05-10", leadOfficerId = officerB.Id, version }, HttpStatusCode.OK);

        async Task<JsonNode> Report(string month, string? district) =>
            await viewer.GetJsonAsync($"/api/reports/monthly/{month}" + (district is null ? string.Empty : $"?district={district}"));
        static JsonNode Hnte(JsonNode report) => report["pipeline"]!.AsArray().Single(p => p.Str("program") == "hnte")!;
        static int Preparing(JsonNode report) =>
            Hnte(report)["stagesAtMonthEnd"]!.AsArray().Single(s => s.Str("stage") == "preparing")!["cases"]!.GetValue<int>();
        static int Advances(JsonNode report) => Hnte(report)["advances"]!.GetValue<int>();
        static int Stays(JsonNode report) => report["timeInStage"]!.AsArray().Where(s => s.Str("program") == "hnte").Sum(s => s!["stays"]!.GetValue<int>());
        static int Visits(JsonNode report) => report["visits"]!["visits"]!.GetValue<int>();
        static int Overdue(JsonNode report) => report["followUps"]!["stillOverdue"]!.GetValue<int>();

        var aprilXuhui = await Report("2026-04", CityFactory.Xuhui);
        Assert.False(aprilXuhui["frozen"]!.GetValue<bool>());
        Assert.Equal(1, Preparing(aprilXuhui));
        Assert.Equal(1, Advances(aprilXuhui));
        Assert.Equal(1, Stays(aprilXuhui));
        Assert.Equal(1, Visits(aprilXuhui));
        Assert.Equal(1, Overdue(aprilXuhui));

        var aprilMinhang = await Report("2026-04", CityFactory.Minhang);
        Assert.Equal(0, Preparing(aprilMinhang));
        Assert.Equal(0, Advances(aprilMinhang));
        Assert.Equal(0, Stays(aprilMinhang));
        Assert.Equal(0, Visits(aprilMinhang));
        Assert.Equal(0, Overdue(aprilMinhang));

        // May: the firm is Minhang's from the 10th, its overdue follow-up (passed to Minhang's officer) with it.
        var mayMinhang = await Report("2026-05", CityFactory.Minhang);
        Assert.Equal(1, Preparing(mayMinhang));
        Assert.Equal(1, Overdue(mayMinhang));
        Assert.Equal(officerB.Id, mayMinhang["followUps"]!["byAssignee"]!.AsArray().Single()!["userId"]!.GetValue<long>());
        var mayXuhui = await Report("2026-05", CityFactory.Xuhui);
        Assert.Equal(0, Preparing(mayXuhui));
        Assert.Equal(0, Overdue(mayXuhui));

        // The city counts the firm once in each month; Xuhui's officer reads the same April figure on their own report.
        Assert.Equal(1, Preparing(await Report("2026-04", null)));
        Assert.Equal(1, Preparing(await Report("2026-05", null)));
        Assert.Equal(1, Preparing(await clientA.GetJsonAsync("/api/reports/monthly/2026-04")));
        Assert.Equal(0, Preparing(await clientA.GetJsonAsync("/api/reports/monthly/2026-05")));
    }
}
