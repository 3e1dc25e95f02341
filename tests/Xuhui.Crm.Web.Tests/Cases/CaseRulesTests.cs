using System.Globalization;
using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Xuhui.Crm.Domain.Programs;
using Xuhui.Crm.Domain.Users;
using Xuhui.Crm.Web.Features.Cases;
using Xuhui.Crm.Web.Features.Reference;
using Xuhui.Crm.Web.Tests.Infrastructure;

namespace Xuhui.Crm.Web.Tests.Cases;

/// <summary>The stage rules of programs.json through the API, and the refusals in both languages.</summary>
public sealed class CaseRulesTests(CrmFactory factory) : IClassFixture<CrmFactory>
{
    private ProgramCatalog Catalog => factory.Services.GetRequiredService<ReferenceData>().Programs;

    [Fact]
    public async Task A_suspended_pre_ipo_case_resumes_only_at_its_stage_before_the_suspension()
    {
        using var admin = await factory.AdminAsync();
        var created = await NewCaseAsync(admin, "pre-ipo", "accepted");
        await admin.PostJsonAsync($"/api/cases/{created.Id()}/transitions", new { fromStage = "accepted", toStage = "suspended", on = "2026-06-02" }, HttpStatusCode.OK);
        var before = await factory.RowCountsAsync();

        var problem = await admin.PostJsonAsync($"/api/cases/{created.Id()}/transitions", new { fromStage = "suspended", toStage = "committee" }, HttpStatusCode.BadRequest);

        Assert.Equal(
            "中止的案件只能恢复到中止前的阶段 「申报受理」(accepted)，不能恢复到 「上市委审议」(committee)",
            Assert.Single(problem.ErrorsFor("toStage")));
        Assert.Equal(before, await factory.RowCountsAsync());
        var resumed = await admin.PostJsonAsync($"/api/cases/{created.Id()}/transitions", new { fromStage = "suspended", toStage = "accepted" }, HttpStatusCode.OK);
        Assert.Equal("accepted", resumed.Str("stage"));
    }

    [Fact]
    public async Task Recognising_a_foreign_rd_centre_records_the_recognition_date()
    {
        using var admin = await factory.AdminAsync();
        var created = await NewCaseAsync(admin, "foreign-rd-center", "applied");

        var moved = await admin.PostJsonAsync(
            $"/api/cases/{created.Id()}/transitions", new { fromStage = "applied", toStage = "recognized", on = "2026-06-10" }, HttpStatusCode.OK);

        Assert.Equal("2026-06-10", moved.Str("recognizedOn"));
        Assert.False(moved["isOpen"]!.GetValue<bool>());
        Assert.Equal("2026-06-10", moved.Str("closedOn"));
    }

    [Fact]
    public async Task A_certificate_outside_hnte_gets_no_default_expiry_and_only_hnte_files_annual_reports()
    {
        using var admin = await factory.AdminAsync();
        var created = await NewCaseAsync(admin, "little-giant", "approved");

        var withCert = await admin.PutJsonAsync(
            $"/api/cases/{created.Id()}/certificate", new { version = created.Version(), number = "XJR2026001", issuedOn = "2026-06-01" }, HttpStatusCode.OK);
        Assert.Null(withCert["certificateExpiresOn"]);

        var problem = await admin.PostJsonAsync($"/api/cases/{created.Id()}/annual-reports", new { year = 2025 }, HttpStatusCode.BadRequest);
        Assert.Equal("只有高新技术企业案件需要报送年度发展情况报表", Assert.Single(problem.ErrorsFor("program")));
    }

    [Fact]
    public void Every_refusal_reads_in_chinese_exactly_as_the_catalogue_words_it()
    {
        using var _ = Culture("zh-CN");
        foreach (var p in Catalog.Programs)
        {
            foreach (var from in p.Stages)
            {
                foreach (var to in p.Stages)
                {
                    var check = Catalog.CheckTransition(p.Code, from.Code, from.Code, to.Code);
                    Assert.Equal(check.Message, CaseMessages.Refusal(check, Catalog));
                }
            }
        }

        var stale = Catalog.CheckTransition(ProgramCatalog.Hnte, "preparing", "submitted", "certified");
        Assert.Equal(stale.Message, CaseMessages.Refusal(stale, Catalog));
        var unknown = Catalog.CheckTransition(ProgramCatalog.Hnte, "lead", "lead", "moon");
        Assert.Equal(unknown.Message, CaseMessages.Refusal(unknown, Catalog));
        var noProgramme = Catalog.CheckTransition("moonshot", "lead", "lead", "moon");
        Assert.Equal(noProgramme.Message, CaseMessages.Refusal(noProgramme, Catalog));
    }

    [Fact]
    public void A_refusal_in_english_names_the_stages_in_english_and_has_no_chinese()
    {
        using var _ = Culture("en");
        var check = Catalog.CheckTransition(ProgramCatalog.Hnte, "lead", "lead", "certified");

        var text = CaseMessages.Refusal(check, Catalog);

        Assert.Equal(
            "A case cannot move from “Lead” (lead) straight to “Certified” (certified); it can move to: “Nurturing” (nurturing), “Preparing” (preparing), “Withdrawn” (withdrawn)",
            text);
        Assert.DoesNotMatch(@"\p{IsCJKUnifiedIdeographs}", text);
    }

    private async Task<System.Text.Json.Nodes.JsonNode> NewCaseAsync(HttpClient admin, string program, string stage)
    {
        var owner = await factory.CreateUserAsync(Roles.Officer);
        var firm = await admin.CreateFirmAsync(TestData.Firm().With("leadOfficerId", owner.Id));
        return await admin.PostJsonAsync($"/api/firms/{firm.Id()}/cases", new { program, stage, ownerId = owner.Id, on = "2026-06-01" }, HttpStatusCode.Created);
    }

    private static CultureScope Culture(string name) => new(CultureInfo.CurrentUICulture, CultureInfo.CurrentCulture, name);

    private sealed class CultureScope : IDisposable
    {
        private readonly CultureInfo _ui;
        private readonly CultureInfo _culture;

        public CultureScope(CultureInfo ui, CultureInfo culture, string name)
        {
            (_ui, _culture) = (ui, culture);
            CultureInfo.CurrentUICulture = CultureInfo.CurrentCulture = CultureInfo.GetCultureInfo(name);
        }

        public void Dispose() => (CultureInfo.CurrentUICulture, CultureInfo.CurrentCulture) = (_ui, _culture);
    }
}
