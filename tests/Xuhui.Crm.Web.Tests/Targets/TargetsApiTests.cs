using System.Net;
using System.Net.Http.Json;
using Xuhui.Crm.Domain.Cases;
using Xuhui.Crm.Domain.Firms;
using Xuhui.Crm.Domain.Users;
using Xuhui.Crm.Web.Features.Targets;
using Xuhui.Crm.Web.Tests.Infrastructure;

namespace Xuhui.Crm.Web.Tests.Targets;

public sealed class TargetsApiTests(TargetsApiTests.Host host) : IClassFixture<TargetsApiTests.Host>
{
    /// <summary>Open innovation platforms switched off, to see the setting work.</summary>
    public sealed class Host : CrmFactory
    {
        public Host() => Clock.SetUtcNow(OctoberScenario.HostStart);

        protected override IEnumerable<KeyValuePair<string, string?>> Settings() =>
            [new("Crm:Targets:CountOpenInnovationPlatforms", "false")];
    }

    [Fact]
    public async Task Legal_person_counts_are_provisional_until_the_year_is_entered_and_edits_need_the_version()
    {
        host.Clock.SetUtcNow(new DateTimeOffset(2026, 11, 2, 1, 0, 0, TimeSpan.Zero));
        var admin = await host.AdminAsync();

        var none = (await admin.GetFromJsonAsync<TargetsDto>("/api/targets?asOf=2023-06-30", ApiJson.Options))!;
        Assert.Null(none.HntePer10k.LegalPersons);
        Assert.Null(none.HntePer10k.Per10k);
        Assert.True(none.HntePer10k.Provisional);

        var missing = await admin.PutAsJsonAsync("/api/statistics/enterprise-legal-persons/2024", new LegalPersonCountRequest(38_000, " ", null, null, null), ApiJson.Options);
        Assert.Equal(HttpStatusCode.BadRequest, missing.StatusCode);
        Assert.Contains("\"source\"", await missing.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        var created = await admin.PutAsJsonAsync("/api/statistics/enterprise-legal-persons/2024", new LegalPersonCountRequest(38_000, "徐汇统计年鉴 2024", new DateOnly(2025, 6, 1), null, null), ApiJson.Options);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);

        var provisional = (await admin.GetFromJsonAsync<TargetsDto>("/api/targets?asOf=2025-12-31", ApiJson.Options))!;
        Assert.Equal((2024, 38_000, true), (provisional.HntePer10k.LegalPersons!.Year, provisional.HntePer10k.LegalPersons.Count, provisional.HntePer10k.Provisional));

        var entered = await admin.PutAsJsonAsync("/api/statistics/enterprise-legal-persons/2025", new LegalPersonCountRequest(40_000, "徐汇统计年鉴 2025", null, null, null), ApiJson.Options);
        Assert.Equal(HttpStatusCode.Created, entered.StatusCode);
        var final = (await admin.GetFromJsonAsync<TargetsDto>("/api/targets?asOf=2025-12-31", ApiJson.Options))!;
        Assert.Equal((2025, false), (final.HntePer10k.LegalPersons!.Year, final.HntePer10k.Provisional));

        var stale = await admin.PutAsJsonAsync("/api/statistics/enterprise-legal-persons/2025", new LegalPersonCountRequest(41_000, "修订", null, null, 7), ApiJson.Options);
        Assert.Equal(HttpStatusCode.Conflict, stale.StatusCode);
        var updated = await admin.PutAsJsonAsync("/api/statistics/enterprise-legal-persons/2025", new LegalPersonCountRequest(41_000, "修订", null, null, 1), ApiJson.Options);
        Assert.Equal(HttpStatusCode.OK, updated.StatusCode);
        Assert.Equal(2, (await updated.Content.ReadFromJsonAsync<LegalPersonCountDto>(ApiJson.Options))!.Version);
    }

    [Fact]
    public async Task Entered_indicator_values_carry_source_and_date_and_computed_indicators_refuse_entry()
    {
        host.Clock.SetUtcNow(new DateTimeOffset(2026, 11, 2, 1, 0, 0, TimeSpan.Zero));
        var admin = await host.AdminAsync();

        var computed = await admin.PutAsJsonAsync("/api/indicators/hnte-per-10k/values/2025", new IndicatorValueRequest(150, "x", new DateOnly(2026, 1, 1), null, null), ApiJson.Options);
        Assert.Equal(HttpStatusCode.BadRequest, computed.StatusCode);
        var badPeriod = await admin.PutAsJsonAsync("/api/indicators/tech-carriers/values/2025-13", new IndicatorValueRequest(78, "x", new DateOnly(2026, 1, 1), null, null), ApiJson.Options);
        Assert.Contains("\"period\"", await badPeriod.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var unknown = await admin.PutAsJsonAsync("/api/indicators/nope/values/2025", new IndicatorValueRequest(1, "x", new DateOnly(2026, 1, 1), null, null), ApiJson.Options);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);

        Assert.Equal(HttpStatusCode.Created, (await admin.PutAsJsonAsync("/api/indicators/tech-carriers/values/2025", new IndicatorValueRequest(78, "区科委载体名录", new DateOnly(2026, 2, 1), null, null), ApiJson.Options)).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await admin.PutAsJsonAsync("/api/indicators/tech-carriers/values/2026-Q3", new IndicatorValueRequest(79, "区科委季报", new DateOnly(2026, 10, 10), null, null), ApiJson.Options)).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await admin.PutAsJsonAsync("/api/indicators/tech-carriers/targets/2026", new IndicatorTargetRequest(80, "年度计划", null), ApiJson.Options)).StatusCode);

        var t = (await admin.GetFromJsonAsync<TargetsDto>("/api/targets?asOf=2026-10-31", ApiJson.Options))!;
        var carriers = t.Indicators.Single(i => i.Code == "tech-carriers");
        Assert.Equal((79.0, "2026-Q3", "区科委季报", new DateOnly(2026, 10, 10), 80.0, "interim", 98.8),
            (carriers.Value!.Value, carriers.Period, carriers.Source, carriers.SourceDate!.Value, carriers.YearTarget.Value!.Value, carriers.YearTarget.Source, carriers.ProgressPercent!.Value));

        var earlier = (await admin.GetFromJsonAsync<TargetsDto>("/api/targets?asOf=2026-06-30", ApiJson.Options))!;
        Assert.Equal(("2025", 78.0), (earlier.Indicators.Single(i => i.Code == "tech-carriers").Period, earlier.Indicators.Single(i => i.Code == "tech-carriers").Value!.Value));

        var values = (await admin.GetFromJsonAsync<List<IndicatorValueDto>>("/api/indicators/tech-carriers/values", ApiJson.Options))!;
        Assert.Equal(["2025", "2026-Q3"], values.Select(v => v.Period));
        Assert.Equal(HttpStatusCode.BadRequest, (await admin.GetAsync("/api/targets?asOf=2026-02-30")).StatusCode);
    }

    [Theory]
    [InlineData(null, "指标 nope 不存在", "期间应为 YYYY、YYYY-Qn 或 YYYY-MM")]
    [InlineData("en", "Indicator nope not found", "A year, quarter or month is required: YYYY, YYYY-Qn or YYYY-MM")]
    public async Task Refused_entries_answer_in_the_callers_language(string? acceptLanguage, string notFound, string badPeriod)
    {
        var admin = await host.AdminAsync();
        async Task<HttpResponseMessage> Put(string url)
        {
            using var request = new HttpRequestMessage(HttpMethod.Put, url)
            {
                Content = JsonContent.Create(new IndicatorValueRequest(1, "x", new DateOnly(2026, 1, 1), null, null), options: ApiJson.Options),
            };
            if (acceptLanguage is not null)
            {
                request.Headers.TryAddWithoutValidation("Accept-Language", acceptLanguage);
            }

            return await admin.SendAsync(request);
        }

        using var unknown = await Put("/api/indicators/nope/values/2025");
        Assert.Equal(notFound, (await unknown.ExpectAsync(HttpStatusCode.NotFound)).Str("detail"));
        using var period = await Put("/api/indicators/tech-carriers/values/2025-13");
        Assert.Equal([badPeriod], (await period.ExpectAsync(HttpStatusCode.BadRequest))!.ErrorsFor("period"));
    }

    [Fact]
    public async Task With_ten_outcomes_a_stage_gets_a_rate_and_the_projection_shows_numerator_and_denominator()
    {
        host.Clock.SetUtcNow(new DateTimeOffset(2026, 11, 2, 1, 0, 0, TimeSpan.Zero));
        await host.WithDbAsync(async db =>
        {
            var owner = new User { UserName = "owner-proj", DisplayName = "预测", Role = Roles.Officer, PasswordHash = "x" };
            db.Users.Add(owner);
            await db.SaveChangesAsync();
            Case Rd(string name, string type, params (string? From, string To, DateOnly On)[] path)
            {
                var f = new Firm { Name = name };
                f.StatusChanges.Add(new FirmStatusChange { Status = FirmStatus.Active, EffectiveOn = new DateOnly(2015, 1, 1) });
                var last = path[^1];
                var c = new Case
                {
                    Firm = f, Program = "foreign-rd-center", Stage = last.To, StageSince = last.On, OpenedOn = path[0].On,
                    IsOpen = last.To is "setting-up" or "applied", OwnerId = owner.Id, RdCenterType = type,
                    RecognizedOn = last.To == "recognized" ? last.On : null,
                };
                c.Transitions.AddRange(path.Select(p => new CaseTransition { FromStage = p.From, ToStage = p.To, On = p.On }));
                db.Cases.Add(c);
                return c;
            }

            // Twelve outcomes from "applied" in the last 24 months: 9 recognised (3 of them open innovation platforms), 3 withdrawn.
            for (var i = 0; i < 12; i++)
            {
                var end = new DateOnly(2025, 1, 1).AddMonths(i);
                var type = i < 3 ? "open-innovation-platform" : "rd-center";
                Rd($"外资研发{i}", type, (null, "applied", end.AddMonths(-2)), ("applied", i < 9 ? "recognized" : "withdrawn", end));
            }

            // One outcome outside the window does not count.
            Rd("外资研发旧", "rd-center", (null, "applied", new DateOnly(2024, 1, 1)), ("applied", "withdrawn", new DateOnly(2024, 6, 1)));

            // Two open in "applied", one in "setting-up".
            Rd("外资研发在途1", "rd-center", (null, "applied", new DateOnly(2026, 9, 1)));
            Rd("外资研发在途2", "rd-center", (null, "applied", new DateOnly(2026, 9, 2)));
            Rd("外资研发在途3", "rd-center", (null, "setting-up", new DateOnly(2026, 9, 3)));
            await db.SaveChangesAsync();
        });

        var admin = await host.AdminAsync();
        var rd = (await admin.GetFromJsonAsync<TargetsDto>("/api/targets?asOf=2026-10-31", ApiJson.Options))!.ForeignRdCenters;

        // Platforms are switched off for this host: 9 recognised, 3 of them platforms → 6.
        Assert.False(rd.CountsOpenInnovationPlatforms);
        Assert.Equal(6, rd.Centres);

        var applied = rd.Projection.Stages.Single(s => s.Stage == "applied");
        Assert.Equal((2, 9, 3, 12, 0.75, 1.5, "ok"), (applied.OpenCases, applied.Wins, applied.Losses, applied.Outcomes, applied.Rate!.Value, applied.ExpectedWins!.Value, applied.Status));
        var settingUp = rd.Projection.Stages.Single(s => s.Stage == "setting-up");
        Assert.Equal((1, 0, "insufficient-data"), (settingUp.OpenCases, settingUp.Outcomes, settingUp.Status));
        Assert.Null(settingUp.ExpectedWins);
        Assert.False(rd.Projection.Complete);
        Assert.Equal(1.5, rd.Projection.ExpectedWins);
        Assert.Equal(7.5, rd.ProjectedCentresAtYearEnd);
    }
}
