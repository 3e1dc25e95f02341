using System.Net;
using System.Text.Json.Nodes;
using Xuhui.Crm.Domain.Cases;
using Xuhui.Crm.Domain.Users;
using Xuhui.Crm.Web.Tests.Infrastructure;

namespace Xuhui.Crm.Web.Tests.Firms;

/// <summary>A host with a fixed set of firms, officers and cases, written once and only read by the tests.</summary>
public sealed class SearchFactory : CrmFactory, IAsyncLifetime
{
    public const int PagingFirms = 25;

    public TestUser OfficerOne { get; private set; } = null!;
    public TestUser OfficerTwo { get; private set; } = null!;

    /// <summary>Firm ids by a short label.</summary>
    public Dictionary<string, long> Firms { get; } = [];

    /// <summary>Credit codes by the same label.</summary>
    public Dictionary<string, string> Codes { get; } = [];

    public async Task InitializeAsync()
    {
        OfficerOne = await CreateUserAsync(Roles.Officer);
        OfficerTwo = await CreateUserAsync(Roles.Officer);
        using var admin = await AdminAsync();

        await AddAsync(admin, "xinyuan", TestData.Firm("上海鑫源智能科技有限公司")
            .With("tier", "key").With("leadOfficerId", OfficerOne.Id));
        await AddAsync(admin, "xinlei", TestData.Firm("鑫磊生物医药(上海)有限公司")
            .With("zone", TestData.OtherZone).With("industry", TestData.OtherIndustry)
            .With("leadOfficerId", OfficerTwo.Id).With("coOfficerIds", TestData.Ids(OfficerOne.Id)));
        await AddAsync(admin, "yuntu", TestData.Firm("云图信息技术有限公司")
            .With("formerNames", new JsonArray("上海麒麟数据服务有限公司")).With("zone", "xujiahui-hengfu-fenglin").With("industry", "integrated-circuits"));
        await AddAsync(admin, "huajing", TestData.Firm("华泾精密制造有限公司")
            .With("tier", "key").With("status", "moved-out").With("zone", "caohejing-huajing-belt").With("industry", "smart-manufacturing"));
        await AddAsync(admin, "archived", TestData.Firm("鑫海归档测试有限公司"));
        using (var delete = await admin.DeleteAsync($"/api/firms/{Firms["archived"]}"))
        {
            await delete.ExpectAsync(HttpStatusCode.NoContent);
        }

        for (var i = 1; i <= PagingFirms; i++)
        {
            await AddAsync(admin, $"page{i}", TestData.Firm($"分页样本企业{i:D2}有限公司")
                .With("zone", "central-axis-belt").With("industry", "fintech"));
        }

        // Cases straight into the database: this branch has no cases API yet.
        await WithDbAsync(async db =>
        {
            db.Cases.AddRange(
                NewCase(Firms["xinyuan"], "hnte", "nurturing"),
                NewCase(Firms["xinlei"], "hnte", "submitted"),
                NewCase(Firms["yuntu"], "little-giant", "applied"));
            await db.SaveChangesAsync();
        });
    }

    Task IAsyncLifetime.DisposeAsync() => Task.CompletedTask;

    private Case NewCase(long firmId, string program, string stage) => new()
    {
        FirmId = firmId,
        Program = program,
        Stage = stage,
        IsOpen = true,
        OpenedOn = new DateOnly(2026, 1, 5),
        StageSince = new DateOnly(2026, 3, 1),
        OwnerId = OfficerOne.Id,
    };

    private async Task AddAsync(HttpClient admin, string label, JsonObject body)
    {
        var firm = await admin.CreateFirmAsync(body);
        Firms[label] = firm.Id();
        Codes[label] = firm.Str("creditCode")!;
    }
}
