using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Xuhui.Crm.Web.Data;
using Xuhui.Crm.Web.Features.Search;
using Xuhui.Crm.Web.Shared;
using Xuhui.Crm.Web.Tests.Infrastructure;

namespace Xuhui.Crm.Web.Tests.Imports;

/// <summary>
/// An import answers once its firms commit; their search grams are written afterwards in the background (from the
/// search backlog, in short batches). Until they are, search reads the backlog firms' own text, so an imported firm is
/// found at once and a renamed one only by its new name; firms left on the backlog by a crash get their grams on start.
/// The drainer here polls only hourly, so a backlog the test writes itself stays until the test asks for the drain.
/// </summary>
public sealed class ImportSearchTests(ImportSearchTests.Factory factory) : IClassFixture<ImportSearchTests.Factory>
{
    public sealed class Factory : CrmFactory
    {
        protected override IEnumerable<KeyValuePair<string, string?>> Settings() => [new("Crm:Search:BacklogPollSeconds", "3600")];
    }

    private static readonly string[] Header = ["企业名称", "统一社会信用代码", "所属街道/园区", "行业"];

    private SearchGramDrainer Drainer => factory.Services.GetRequiredService<SearchGramDrainer>();

    private SearchBacklogState State => factory.Services.GetRequiredService<SearchBacklogState>();

    private static async Task<int> TotalAsync(HttpClient client, string q, string extra = "") =>
        (await client.GetJsonAsync($"/api/firms?q={Uri.EscapeDataString(q)}{extra}"))["total"]!.GetValue<int>();

    private static async Task<List<string>> NamesAsync(HttpClient client, string q, string extra = "") =>
        (await client.GetJsonAsync($"/api/firms?q={Uri.EscapeDataString(q)}{extra}"))["items"]!.AsArray().Select(i => i!["name"]!.GetValue<string>()).ToList();

    private async Task CaughtUpAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await Drainer.WhenCaughtUpAsync(timeout.Token);
    }

    [Fact]
    public async Task Imported_firms_are_found_when_the_import_answers_and_by_their_grams_once_written()
    {
        using var admin = await factory.AdminAsync();
        var file = ImportFiles.Csv([
            Header,
            ["上海琥珀恢复一号科技有限公司", ImportFiles.Code(), "漕河泾开发区增长极", "人工智能"],
            ["上海琥珀恢复二号科技有限公司", ImportFiles.Code(), "徐汇滨江增长极", "生命健康"],
        ]);
        using var response = await admin.UploadAsync(file, "recover.csv");
        Assert.Equal("committed", (await response.ExpectAsync(HttpStatusCode.OK))!["status"]!.GetValue<string>());
        // Grams written or not, both lookups (gram only, and gram plus substring) find them at once.
        Assert.Equal(2, await TotalAsync(admin, "琥珀"));
        Assert.Equal(1, await TotalAsync(admin, "琥珀恢复二号"));

        await CaughtUpAsync();
        Assert.Equal(0, await factory.WithDbAsync(db => db.FirmSearchBacklog.CountAsync()));
        var ids = await factory.WithDbAsync(db => db.Firms.Where(f => f.Name.StartsWith("上海琥珀恢复")).Select(f => f.Id).ToListAsync());
        Assert.Equal(2, ids.Count);
        Assert.Equal(2, await factory.WithDbAsync(db => db.FirmSearchGrams.CountAsync(g => g.Gram == "琥珀" && ids.Contains(g.FirmId))));
        Assert.Equal(2, await TotalAsync(admin, "琥珀"));
        Assert.Equal(1, await TotalAsync(admin, "琥珀恢复二号"));
    }

    [Fact]
    public async Task While_grams_are_pending_backlog_firms_are_matched_on_their_text_and_stale_grams_are_not_used()
    {
        using var admin = await factory.AdminAsync();
        var fresh = await admin.CreateFirmAsync(TestData.Firm("上海玳瑁甲号科技有限公司", ImportFiles.Code()));
        var renamed = await admin.CreateFirmAsync(TestData.Firm("上海玳瑁旧名科技有限公司", ImportFiles.Code()));
        var indexed = await admin.CreateFirmAsync(TestData.Firm("上海玳瑁丙号科技有限公司", ImportFiles.Code()));
        Assert.Equal(3, await TotalAsync(admin, "玳瑁"));

        // What an import leaves between its commit and its grams: a new firm with no grams yet, and a renamed firm whose
        // grams are still its old name's; both on the backlog, the state marked.
        await factory.WithDbAsync(async db =>
        {
            await db.FirmSearchGrams.Where(g => g.FirmId == fresh.Id()).ExecuteDeleteAsync();
            await db.Firms.Where(f => f.Id == renamed.Id()).ExecuteUpdateAsync(s => s
                .SetProperty(f => f.Name, "上海玳瑁鲲鹏科技有限公司")
                .SetProperty(f => f.SearchText, f => f.SearchText.Replace("旧名", "鲲鹏")));
            db.FirmSearchBacklog.AddRange(new FirmSearchBacklog { FirmId = fresh.Id() }, new FirmSearchBacklog { FirmId = renamed.Id() });
            await db.SaveChangesAsync();
        });
        State.Mark();
        Assert.True(State.Pending);

        async Task<List<List<string>>> SameAnswersAsync()
        {
            // One and two characters (the gram-only paths when nothing is pending) and longer; the renamed firm never by
            // its old name.
            Assert.Equal(3, await TotalAsync(admin, "玳"));
            Assert.Equal(3, await TotalAsync(admin, "玳瑁"));
            Assert.Equal(1, await TotalAsync(admin, "甲号"));
            Assert.Equal(1, await TotalAsync(admin, "鲲"));
            Assert.Equal(0, await TotalAsync(admin, "瑁旧"));
            Assert.Equal(0, await TotalAsync(admin, "玳瑁旧名"));
            Assert.Equal(1, await TotalAsync(admin, "玳瑁鲲鹏"));
            // Filters and other orders apply to backlog firms alike.
            Assert.Equal(3, await TotalAsync(admin, "玳瑁", $"&zone={TestData.Zone}&tier=regular&status=active"));
            Assert.Equal(0, await TotalAsync(admin, "玳瑁", "&tier=key"));
            Assert.Equal(1, await TotalAsync(admin, "鲲", $"&industry={TestData.Industry}"));
            Assert.Equal(
                ["上海玳瑁甲号科技有限公司", "上海玳瑁鲲鹏科技有限公司", "上海玳瑁丙号科技有限公司"],
                await NamesAsync(admin, "玳瑁", "&sort=createdAt"));
            var byName = await NamesAsync(admin, "玳瑁");
            Assert.Equal(["上海玳瑁丙号科技有限公司", "上海玳瑁甲号科技有限公司", "上海玳瑁鲲鹏科技有限公司"], byName.Order(StringComparer.Ordinal));
            // Pages: the order is the database's name order, the same whether the grams are pending or written.
            return [byName, await NamesAsync(admin, "玳瑁", "&pageSize=1"), await NamesAsync(admin, "玳瑁", "&pageSize=2&page=2"), await NamesAsync(admin, "玳瑁", "&sort=-name")];
        }

        var pendingAnswers = await SameAnswersAsync();
        Assert.Equal([pendingAnswers[0][0]], pendingAnswers[1]);
        Assert.Equal([pendingAnswers[0][2]], pendingAnswers[2]);
        Assert.Equal(Enumerable.Reverse(pendingAnswers[0]), pendingAnswers[3]);
        // Still on the backlog: nothing drained them behind the test's back.
        Assert.Equal(2, await factory.WithDbAsync(db => db.FirmSearchBacklog.CountAsync()));

        Drainer.Request();
        await CaughtUpAsync();
        Assert.False(State.Pending);
        Assert.Equal(0, await factory.WithDbAsync(db => db.FirmSearchBacklog.CountAsync()));
        Assert.Equal(0, await factory.WithDbAsync(db => db.FirmSearchGrams.CountAsync(g => g.Gram == "旧名")));
        Assert.Equal(pendingAnswers, await SameAnswersAsync());
        Assert.Equal(indexed.Id(), (await admin.GetJsonAsync($"/api/firms?q={Uri.EscapeDataString("丙号")}"))["items"]![0]!.Id());
    }

    [Fact]
    public async Task Firms_left_without_grams_by_a_crash_after_the_commit_become_searchable_when_the_service_starts()
    {
        using var admin = await factory.AdminAsync();
        var file = ImportFiles.Csv([
            Header,
            ["上海砗磲一号科技有限公司", ImportFiles.Code(), "漕河泾开发区增长极", "人工智能"],
            ["上海砗磲二号科技有限公司", ImportFiles.Code(), "徐汇滨江增长极", "生命健康"],
        ]);
        using var response = await admin.UploadAsync(file, "crash.csv");
        await response.ExpectAsync(HttpStatusCode.OK);
        await CaughtUpAsync();

        // The state a crash between the firms' commit and their grams leaves behind.
        var ids = await factory.WithDbAsync(db => db.Firms.Where(f => f.Name.StartsWith("上海砗磲")).Select(f => f.Id).ToListAsync());
        Assert.Equal(2, ids.Count);
        await factory.WithDbAsync(async db =>
        {
            await db.FirmSearchGrams.Where(g => ids.Contains(g.FirmId)).ExecuteDeleteAsync();
            db.FirmSearchBacklog.AddRange(ids.Select(id => new FirmSearchBacklog { FirmId = id }));
            await db.SaveChangesAsync();
        });

        // What a restarted process does on start, with a state of its own (a new process knows nothing pending).
        var state = new SearchBacklogState();
        var restarted = new SearchGramDrainer(
            factory.Services.GetRequiredService<IServiceScopeFactory>(), state, factory.Services.GetRequiredService<DataPaths>(),
            factory.Services.GetRequiredService<IOptions<CrmOptions>>(), NullLogger<SearchGramDrainer>.Instance);
        await restarted.StartAsync(CancellationToken.None);
        try
        {
            // Found pending before the service took a request.
            Assert.True(state.Snapshot() > 0);
            using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
            await restarted.WhenCaughtUpAsync(timeout.Token);
        }
        finally
        {
            await restarted.StopAsync(CancellationToken.None);
        }

        Assert.Equal(0, await factory.WithDbAsync(db => db.FirmSearchBacklog.CountAsync()));
        Assert.Equal(2, await factory.WithDbAsync(db => db.FirmSearchGrams.CountAsync(g => g.Gram == "砗磲" && ids.Contains(g.FirmId))));
        factory.Services.GetRequiredService<Xuhui.Crm.Web.Features.Search.GramCountCache>().Changed();
        Assert.Equal(2, await TotalAsync(admin, "砗磲"));
        Assert.Equal(1, await TotalAsync(admin, "砗磲一号"));
    }

    [Fact]
    public async Task A_firm_renamed_by_an_import_is_found_by_its_new_name_only()
    {
        using var admin = await factory.AdminAsync();
        var code = ImportFiles.Code();
        var firm = await admin.CreateFirmAsync(TestData.Firm("上海翡翠旧名科技有限公司", code));
        Assert.Equal(1, await TotalAsync(admin, "翡翠旧名"));

        using var response = await admin.UploadAsync(ImportFiles.Csv([Header, ["上海玛瑙新名科技有限公司", code, null, null]]), "rename.csv");
        var report = (await response.ExpectAsync(HttpStatusCode.OK))!;
        Assert.Equal(1, report["counts"]!["update"]!.GetValue<int>());

        // Right away (grams pending or not) and once the grams are written.
        for (var pass = 0; pass < 2; pass++)
        {
            Assert.Equal(0, await TotalAsync(admin, "翡翠"));
            Assert.Equal(0, await TotalAsync(admin, "翡翠旧名"));
            Assert.Equal(1, await TotalAsync(admin, "玛瑙"));
            var found = (await admin.GetJsonAsync($"/api/firms?q={Uri.EscapeDataString("玛瑙新名")}"))["items"]![0]!;
            Assert.Equal(firm.Id(), found.Id());
            await CaughtUpAsync();
        }
    }

    [Fact]
    public async Task A_row_without_a_code_is_flagged_against_a_firm_whose_grams_are_still_pending()
    {
        using var admin = await factory.AdminAsync();
        var firm = await admin.CreateFirmAsync(TestData.Firm("上海珊瑚待索引科技有限公司", ImportFiles.Code()));
        await factory.WithDbAsync(async db =>
        {
            await db.FirmSearchGrams.Where(g => g.FirmId == firm.Id()).ExecuteDeleteAsync();
            db.FirmSearchBacklog.Add(new FirmSearchBacklog { FirmId = firm.Id() });
            await db.SaveChangesAsync();
        });
        State.Mark();

        using var response = await admin.UploadAsync(ImportFiles.Csv([Header, ["上海珊瑚待索引科技有限公司", null, null, null]]), "dup.csv", "?dryRun=true");
        var report = (await response.ExpectAsync(HttpStatusCode.OK))!;
        Assert.Equal(1, report["counts"]!["possibleDuplicate"]!.GetValue<int>());

        Drainer.Request();
        await CaughtUpAsync();
        using var again = await admin.UploadAsync(ImportFiles.Csv([Header, ["上海珊瑚待索引科技有限公司", null, null, null]]), "dup.csv", "?dryRun=true");
        Assert.Equal(1, (await again.ExpectAsync(HttpStatusCode.OK))!["counts"]!["possibleDuplicate"]!.GetValue<int>());
    }
}

/// <summary>
/// A city deployment's instances share one PostgreSQL database: a backlog another instance left (its import crashed before
/// its drain, or its drain failed) is found by this instance's poll and drained, without an import of its own asking.
/// </summary>
[Trait("Provider", "PostgresOnly")]
public sealed class SearchBacklogPollTests(SearchBacklogPollTests.Factory factory) : IClassFixture<SearchBacklogPollTests.Factory>
{
    public sealed class Factory : CrmFactory
    {
        protected override IEnumerable<KeyValuePair<string, string?>> Settings() => [new("Crm:Search:BacklogPollSeconds", "1")];
    }

    [Fact]
    public async Task A_backlog_left_by_another_instance_is_found_by_the_poll_and_drained()
    {
        Assert.True(TestProvider.IsPostgres, "PostgreSQL-only: run through tests/run.sh or set XUHUI_TEST_PROVIDER=Postgres and XUHUI_TEST_PG");
        using var admin = await factory.AdminAsync();
        var firm = await admin.CreateFirmAsync(TestData.Firm("上海鹦鹉螺轮询科技有限公司", ImportFiles.Code()));
        var id = firm.Id();
        Assert.False(factory.Services.GetRequiredService<SearchBacklogState>().Pending);

        // Written past this instance, as another instance's import leaves it: no grams yet, the firm on the backlog.
        await factory.WithDbAsync(async db =>
        {
            await db.FirmSearchGrams.Where(g => g.FirmId == id).ExecuteDeleteAsync();
            db.FirmSearchBacklog.Add(new FirmSearchBacklog { FirmId = id });
            await db.SaveChangesAsync();
        });

        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (DateTime.UtcNow < deadline && await factory.WithDbAsync(db => db.FirmSearchBacklog.AnyAsync(b => b.FirmId == id)))
        {
            await Task.Delay(100);
        }

        Assert.False(await factory.WithDbAsync(db => db.FirmSearchBacklog.AnyAsync(b => b.FirmId == id)), "the poll did not drain the backlog within 60 s");
        Assert.True(await factory.WithDbAsync(db => db.FirmSearchGrams.AnyAsync(g => g.FirmId == id && g.Gram == "鹦鹉")));
        Assert.Equal(1, (await admin.GetJsonAsync($"/api/firms?q={Uri.EscapeDataString("鹦鹉螺轮询")}"))["total"]!.GetValue<int>());
    }
}
