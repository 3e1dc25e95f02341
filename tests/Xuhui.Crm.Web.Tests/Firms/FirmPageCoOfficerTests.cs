using System.Data.Common;
using System.Runtime.CompilerServices;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Xuhui.Crm.Domain.Users;
using Xuhui.Crm.Web.Data;
using Xuhui.Crm.Web.Features.Search;
using Xuhui.Crm.Web.Features.Firms;
using Xuhui.Crm.Web.Features.Contacts;
using Xuhui.Crm.Web.Tests.Infrastructure;
using Xuhui.Crm.Web.Shared.Firms;

namespace Xuhui.Crm.Web.Tests.Firms;

/// <summary>
/// The co-officers of a list page come in the page's own statement, aggregated into one column per firm:
/// their ids must still be complete and ascending on every page path (the compiled 1-2 character one and the general
/// one) and on the detail, and a page must stay one statement.
/// </summary>
public sealed class FirmPageCoOfficerTests(CommandCountingFactory factory) : IClassFixture<CommandCountingFactory>
{
    [Fact]
    public async Task Search_pages_and_the_detail_list_each_firms_co_officers_ascending_and_an_empty_list_for_none()
    {
        var officers = new List<TestUser>();
        for (var i = 0; i < 4; i++)
        {
            officers.Add(await factory.CreateUserAsync(Roles.Officer));
        }

        var ids = officers.Select(o => o.Id).ToArray();
        using var admin = await factory.AdminAsync();
        // Given out of order: the page must not return them in insertion order.
        var several = await admin.CreateFirmAsync(TestData.Firm("琥珀甲测试有限公司").With("coOfficerIds", TestData.Ids(ids[3], ids[0], ids[2])));
        var one = await admin.CreateFirmAsync(TestData.Firm("琥珀乙测试有限公司").With("coOfficerIds", TestData.Ids(ids[1])));
        var none = await admin.CreateFirmAsync(TestData.Firm("琥珀丙测试有限公司").With("leadOfficerId", ids[1]));
        var expected = new Dictionary<long, long[]>
        {
            [several.Id()] = [ids[0], ids[2], ids[3]],
            [one.Id()] = [ids[1]],
            [none.Id()] = [],
        };

        // 琥 and 琥珀: the compiled gram page; 琥珀甲: the compiled longer-query page; -name and a status filter: the
        // general path.
        foreach (var query in new[] { "q=%E7%90%A5", "q=%E7%90%A5%E7%8F%80", "q=%E7%90%A5&sort=-name", "q=%E7%90%A5%E7%8F%80&status=active", "q=%E7%90%A5%E7%8F%80%E7%94%B2" })
        {
            var items = (await admin.GetJsonAsync($"/api/firms?{query}"))["items"]!.AsArray();
            Assert.NotEmpty(items);
            foreach (var item in items)
            {
                Assert.Equal(expected[item!.Id()], item!["coOfficerIds"]!.AsArray().Select(n => n!.GetValue<long>()).ToArray());
            }
        }

        foreach (var (id, coOfficers) in expected)
        {
            var detail = await admin.GetJsonAsync($"/api/firms/{id}");
            Assert.Equal(coOfficers, detail["coOfficerIds"]!.AsArray().Select(n => n!.GetValue<long>()).ToArray());
        }

        // After an edit that drops one and adds another, the page shows the new set.
        var edited = several.Editable().With("coOfficerIds", TestData.Ids(ids[1], ids[3]));
        await admin.PutJsonAsync($"/api/firms/{several.Id()}", edited, System.Net.HttpStatusCode.OK);
        var page = (await admin.GetJsonAsync("/api/firms?q=%E7%90%A5%E7%8F%80%E7%94%B2"))["items"]!.AsArray();
        Assert.Equal([ids[1], ids[3]], Assert.Single(page)!["coOfficerIds"]!.AsArray().Select(n => n!.GetValue<long>()).ToArray());
    }

    [Fact]
    public async Task A_search_page_is_one_statement_and_a_count_runs_only_when_the_page_cannot_tell_the_total()
    {
        var officer = await factory.CreateUserAsync(Roles.Officer);
        using (var admin = await factory.AdminAsync())
        {
            await admin.CreateFirmAsync(TestData.Firm("翡翠一号测试有限公司").With("coOfficerIds", TestData.Ids(officer.Id)));
            await admin.CreateFirmAsync(TestData.Firm("翡翠二号测试有限公司"));
        }

        var gram = new FirmQuery("翡翠", null, null, null, null, null, null, null, null, null, null);
        var filtered = gram with { Status = "active" };
        // The first search of a pair counts it; the count is cached, so the next one only reads its page.
        await SearchCountingCommandsAsync(gram);
        var (commands, page) = await SearchCountingCommandsAsync(gram);
        Assert.Equal(1, commands);
        Assert.Equal(2, page.Items.Count);
        Assert.Equal([officer.Id], page.Items.Single(f => f.Name.StartsWith("翡翠一号", StringComparison.Ordinal)).CoOfficerIds);
        // A filtered search reads its page first: a first page with room to spare is the whole result, so its length is
        // the total and no count runs; not a statement for the co-officers either.
        (commands, page) = await SearchCountingCommandsAsync(filtered);
        Assert.Equal(1, commands);
        Assert.Equal(2, page.Total);
        Assert.Equal([officer.Id], page.Items.Single(f => f.Name.StartsWith("翡翠一号", StringComparison.Ordinal)).CoOfficerIds);
        // A full first page, or a later page, may have more behind it: those are counted.
        foreach (var (pageNumber, size, items) in new[] { (1, 2, 2), (1, 1, 1), (2, 1, 1), (3, 1, 0) })
        {
            (commands, page) = await SearchCountingCommandsAsync(filtered with { Page = pageNumber, PageSize = size });
            Assert.Equal(2, commands);
            Assert.Equal(2, page.Total);
            Assert.Equal(items, page.Items.Count);
        }

        // The same for a longer query (no count cache): one statement while the first page has room.
        (commands, page) = await SearchCountingCommandsAsync(gram with { Q = "翡翠二号" });
        Assert.Equal(1, commands);
        Assert.Equal(1, page.Total);
        (commands, page) = await SearchCountingCommandsAsync(gram with { Q = "翡翠二号", Page = 2 });
        Assert.Equal(2, commands);
        Assert.Equal(1, page.Total);
        Assert.Empty(page.Items);
    }

    [Theory]
    [InlineData(null, new long[0])]
    [InlineData("", new long[0])]
    [InlineData("7", new long[] { 7 })]
    [InlineData("12,3,7", new long[] { 3, 7, 12 })]
    [InlineData("9,10,11", new long[] { 9, 10, 11 })]
    public void The_aggregated_ids_parse_in_ascending_numeric_order(string? list, long[] expected)
    {
        Assert.Equal(expected, FirmColumns.ParseIds(list));
    }

    /// <summary>Runs a search in a fresh scope and counts the commands its context executes.</summary>
    private async Task<(int Commands, FirmPage Page)> SearchCountingCommandsAsync(FirmQuery query)
    {
        await using var scope = factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CrmDbContext>();
        var search = scope.ServiceProvider.GetRequiredService<FirmSearch>();
        var before = factory.Commands.For(db);
        var page = await search.SearchAsync(query, CancellationToken.None);
        return (factory.Commands.For(db) - before, page);
    }
}

/// <summary>A host whose contexts count the commands they execute, per context instance.</summary>
public sealed class CommandCountingFactory : CrmFactory
{
    public CommandCounter Commands { get; } = new();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureTestServices(services => services.ConfigureDbContext<CrmDbContext>(o => o.AddInterceptors(Commands)));
    }
}

public sealed class CommandCounter : DbCommandInterceptor
{
    private readonly System.Runtime.CompilerServices.ConditionalWeakTable<DbContext, StrongBox<int>> _counts = [];

    public int For(DbContext db) => _counts.TryGetValue(db, out var box) ? Volatile.Read(ref box.Value) : 0;

    public override ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(
        DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default)
    {
        Count(eventData);
        return base.ReaderExecutingAsync(command, eventData, result, cancellationToken);
    }

    public override ValueTask<InterceptionResult<object>> ScalarExecutingAsync(
        DbCommand command, CommandEventData eventData, InterceptionResult<object> result, CancellationToken cancellationToken = default)
    {
        Count(eventData);
        return base.ScalarExecutingAsync(command, eventData, result, cancellationToken);
    }

    public override InterceptionResult<DbDataReader> ReaderExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result)
    {
        Count(eventData);
        return base.ReaderExecuting(command, eventData, result);
    }

    private void Count(CommandEventData eventData)
    {
        if (eventData.Context is { } db)
        {
            Interlocked.Increment(ref _counts.GetValue(db, _ => new StrongBox<int>()).Value);
        }
    }
}
