using System.Net.Http.Json;
using Xuhui.Crm.Web.Features.Reports;
using Xuhui.Crm.Web.Features.Targets;
using Xuhui.Crm.Web.Tests.Infrastructure;

namespace Xuhui.Crm.Web.Tests.Targets;

/// <summary>Every figure of October 2026 in the constructed data set, known in advance.</summary>
public sealed class OctoberReportTests(OctoberHost host) : IClassFixture<OctoberHost>
{
    private async Task<MonthlyReport> ReportAsync()
    {
        var client = await host.AdminAsync();
        return (await client.GetFromJsonAsync<MonthlyReport>($"/api/reports/monthly/{OctoberScenario.Month}", ApiJson.Options))!;
    }

    private async Task<TargetsDto> TargetsAsync(string asOf)
    {
        var client = await host.AdminAsync();
        return (await client.GetFromJsonAsync<TargetsDto>($"/api/targets?asOf={asOf}", ApiJson.Options))!;
    }

    [Fact]
    public async Task Stages_at_month_end_count_every_case_by_its_history()
    {
        var r = await ReportAsync();
        Dictionary<string, int> Stages(string program) =>
            r.Pipeline.Single(p => p.Program == program).StagesAtMonthEnd.Where(s => s.Cases > 0).ToDictionary(s => s.Stage, s => s.Cases);

        Assert.Equal(new Dictionary<string, int> { ["lead"] = 1, ["nurturing"] = 1, ["preparing"] = 1, ["submitted"] = 1, ["certified"] = 5, ["rejected"] = 1, ["expired"] = 2 }, Stages("hnte"));
        // The lead → nurturing move at 00:01 on 1 Nov is not October's: the case is still a lead at month end.
        Assert.Equal(new Dictionary<string, int> { ["lead"] = 1, ["approved"] = 1 }, Stages("little-giant"));
        Assert.Equal(new Dictionary<string, int> { ["recognized"] = 2, ["upgraded"] = 1, ["withdrawn"] = 1 }, Stages("foreign-rd-center"));
        Assert.Equal(new Dictionary<string, int> { ["listed"] = 1 }, Stages("pre-ipo"));
    }

    [Fact]
    public async Task Movements_in_the_month_split_into_new_advances_regressions_wins_losses_and_other()
    {
        var r = await ReportAsync();
        (int, int, int, int, int, int) Moves(string program) =>
            r.Pipeline.Single(p => p.Program == program) is var p ? (p.NewCases, p.Advances, p.Regressions, p.Wins, p.Losses, p.OtherMoves) : default;

        Assert.Equal((0, 1, 1, 1, 1, 1), Moves("hnte"));
        Assert.Equal((0, 0, 0, 1, 0, 0), Moves("little-giant"));
        Assert.Equal((1, 0, 0, 0, 1, 1), Moves("foreign-rd-center"));
        Assert.Equal((0, 0, 0, 1, 0, 0), Moves("pre-ipo"));
    }

    [Fact]
    public async Task Notable_wins_name_the_firms_in_date_order_including_the_one_at_23_59()
    {
        var r = await ReportAsync();
        Assert.Equal(
            [
                ("2026-10-01", "上海乙烯新材料有限公司", "certified", "证书编号 GR202631000002"),
                ("2026-10-20", "上海鑫淼股份有限公司", "listed", "科创板"),
                ("2026-10-31", "上海午未精密制造有限公司", "approved", (string?)null),
            ],
            r.Wins.Select(w => (w.On.ToString("yyyy-MM-dd"), w.FirmName, w.Stage, w.Detail)).ToList());
    }

    [Fact]
    public async Task Stalled_cases_and_median_time_in_stage()
    {
        var r = await ReportAsync();
        var stalled = Assert.Single(r.Stalled);
        Assert.Equal((host.Ids.StalledCase, "lead", 183), (stalled.CaseId, stalled.Stage, stalled.Days));
        Assert.Equal(1, r.StalledTotal);

        var medians = r.TimeInStage.ToDictionary(d => $"{d.Program}:{d.Stage}", d => (d.Stays, d.MedianDays));
        Assert.Equal(
            new Dictionary<string, (int, double?)>
            {
                ["foreign-rd-center:contact"] = (1, 20),
                ["foreign-rd-center:recognized"] = (1, 1378),
                ["hnte:nurturing"] = (1, 194),
                ["hnte:preparing"] = (1, 80),
                ["hnte:submitted"] = (2, 98.5),
                ["hnte:certified"] = (1, 1096),
                ["little-giant:applied"] = (1, 138),
                ["pre-ipo:registered"] = (1, 49),
            },
            medians);
    }

    [Fact]
    public async Task Visits_by_officer_and_zone_count_done_visits_of_the_month_only()
    {
        var r = await ReportAsync();
        Assert.Equal((3, 2), (r.Visits.Visits, r.Visits.FirmsVisited));
        Assert.Equal([("王芳", 2, 1), ("李强", 2, 2)], r.Visits.ByOfficer.OrderBy(o => o.UserId).Select(o => (o.Name, o.Visits, o.Firms)).ToList());
        Assert.Equal([("徐汇滨江增长极", 2, 1), ("漕河泾开发区增长极", 1, 1)], r.Visits.ByZone.Select(z => (z.ZoneName, z.Visits, z.Firms)).ToList());
    }

    [Fact]
    public async Task Follow_ups_completed_on_time_late_and_still_overdue_at_month_end()
    {
        var r = await ReportAsync();
        Assert.Equal((1, 2, 3), (r.FollowUps.CompletedOnTime, r.FollowUps.CompletedLate, r.FollowUps.StillOverdue));
        Assert.Equal(new DateOnly(2026, 10, 31), r.FollowUps.OverdueAsOf);
        Assert.Equal(
            [("王芳", 1, 1, 1), ("李强", 0, 1, 2)],
            r.FollowUps.ByAssignee.OrderBy(a => a.UserId).Select(a => (a.Name, a.CompletedOnTime, a.CompletedLate, a.StillOverdue)).ToList());
    }

    [Fact]
    public async Task Hnte_per_10k_at_month_end_is_provisional_on_the_2025_legal_person_count()
    {
        var t = (await ReportAsync()).Targets;
        var h = t.HntePer10k;
        Assert.Equal(new DateOnly(2026, 10, 31), t.AsOf);
        // Counted: expiring on the last day, issued on the first, steady, moved in. Not: moved out on the 15th,
        // lapsed 30 Sep, revoked in June, archived.
        Assert.Equal(4, h.Firms);
        Assert.Equal((2025, 40_000, true), (h.LegalPersons!.Year, h.LegalPersons.Count, h.LegalPersons.Provisional));
        Assert.True(h.Provisional);
        Assert.Equal(1.0, h.Per10k);
        Assert.Equal(new TargetBasis(2.0, 2026, "interim"), h.Target);
        Assert.Equal(4, h.FirmsNeeded);

        var lapsing = Assert.Single(h.Lapsing);
        Assert.Equal(("上海甲骨科技有限公司", new DateOnly(2026, 10, 31), "submitted"), (lapsing.FirmName, lapsing.ExpiresOn, lapsing.RenewalStage));
        Assert.Equal(1, h.LapsingBeforeYearEnd);

        // Two outcomes per late stage in the window: below the minimum of ten, so no rate is invented.
        Assert.All(h.Projection.Stages, s => Assert.Equal("insufficient-data", s.Status));
        Assert.Equal([("preparing", 1, 1, 1, 2), ("submitted", 1, 1, 1, 2)], h.Projection.Stages.Select(s => (s.Stage, s.OpenCases, s.Wins, s.Losses, s.Outcomes)).ToList());
        Assert.All(h.Projection.Stages, s => Assert.Null(s.Rate));
        Assert.False(h.Projection.Complete);
        Assert.Equal(3, h.ProjectedFirmsAtYearEnd);
        Assert.Equal(0.75, h.ProjectedPer10kAtYearEnd);
    }

    [Fact]
    public async Task Foreign_rd_centres_count_recognised_and_upgraded_centres_including_open_innovation_platforms()
    {
        var rd = (await ReportAsync()).Targets.ForeignRdCenters;
        Assert.Equal(3, rd.Centres);
        Assert.True(rd.CountsOpenInnovationPlatforms);
        Assert.Equal([("global-rd-center", 1), ("open-innovation-platform", 1), ("rd-center", 1)], rd.ByType.Select(b => (b.Type, b.Count)).ToList());
        Assert.Equal(new TargetBasis(33, 2025, "plan-2025"), rd.Target);
        Assert.Equal(30, rd.CentresNeeded);
        Assert.True(rd.Projection.Complete);
        Assert.Equal((1, 1), (rd.Projection.Stages.Single(s => s.Stage == "applied").Wins, rd.Projection.Stages.Single(s => s.Stage == "applied").Outcomes));
    }

    [Theory]
    [InlineData("2026-09-30", 5)] // lapsed (expires 30 Sep) still counts on its expiry date; issued-first not yet
    [InlineData("2026-10-01", 5)] // lapsed gone, issued-first counts from its issue date
    [InlineData("2026-10-14", 5)] // moved-out still in the district
    [InlineData("2026-10-15", 4)] // moved out effective the 15th
    [InlineData("2026-10-31", 4)] // expiring-last-day counts through its expiry date
    [InlineData("2026-11-01", 3)] // ... and not after
    [InlineData("2026-06-29", 6)] // revoked still valid the day before it was revoked
    [InlineData("2026-02-28", 5)] // before moved-in returned on 1 Mar
    public async Task Hnte_count_follows_certificate_dates_and_status_history(string asOf, int firms)
    {
        var t = await TargetsAsync(asOf);
        Assert.Equal(firms, t.HntePer10k.Firms);
    }

    [Fact]
    public async Task Indicators_list_all_ten_with_progress_against_the_year_target()
    {
        var t = (await ReportAsync()).Targets;
        Assert.Equal(10, t.Indicators.Count);
        var rd = t.Indicators.Single(i => i.Code == "rd-spending-ratio");
        Assert.Equal((8.55, "2025", "区统计局公报", 95.0), (rd.Value!.Value, rd.Period, rd.Source, rd.ProgressPercent!.Value));
        Assert.Equal(50.0, t.Indicators.Single(i => i.Code == "hnte-per-10k").ProgressPercent);
        Assert.Equal(9.1, t.Indicators.Single(i => i.Code == "foreign-rd-centers").ProgressPercent);
        Assert.Null(t.Indicators.Single(i => i.Code == "tech-carriers").Value);
    }

    [Fact]
    public async Task A_closed_month_without_a_snapshot_is_computed_live_and_says_so()
    {
        var r = await ReportAsync();
        Assert.False(r.Frozen);
        Assert.Null(r.SnapshotRevision);
        Assert.Equal((new DateOnly(2026, 10, 1), new DateOnly(2026, 10, 31)), (r.From, r.To));
    }

    [Fact]
    public async Task The_running_month_is_live_as_of_today_and_holds_the_move_made_at_00_01_on_the_first()
    {
        var client = await host.AdminAsync();
        var r = (await client.GetFromJsonAsync<MonthlyReport>("/api/reports/monthly/2026-11", ApiJson.Options))!;
        Assert.False(r.Frozen);
        Assert.Equal(new DateOnly(2026, 11, 2), r.Targets.AsOf);
        Assert.Equal(new DateOnly(2026, 11, 1), r.FollowUps.OverdueAsOf);
        Assert.Equal(1, r.Pipeline.Single(p => p.Program == "little-giant").Advances);
        Assert.Empty(r.Wins);
        Assert.Equal(3, r.Targets.HntePer10k.Firms);
    }

    [Theory]
    [InlineData("2026-13")]
    [InlineData("26-10")]
    [InlineData("2027-01")]
    public async Task A_malformed_or_future_month_is_a_400_naming_the_month(string month)
    {
        var client = await host.AdminAsync();
        var response = await client.GetAsync($"/api/reports/monthly/{month}");
        Assert.Equal(System.Net.HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("\"month\"", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}
