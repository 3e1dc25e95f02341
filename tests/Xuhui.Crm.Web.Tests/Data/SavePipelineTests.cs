using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;
using Xuhui.Crm.Domain.Firms;
using Xuhui.Crm.Web.Features.Search;
using Xuhui.Crm.Web.Tests.Infrastructure;

namespace Xuhui.Crm.Web.Tests.Data;

/// <summary>
/// The write pipeline is in every context's options, not only the host's: a context built straight on an SQLite file
/// (commands, the generator, tests) stamps, audits and indexes as the service does, and a failed save leaves nothing open.
/// </summary>
public sealed class SavePipelineTests : IDisposable
{
    private static readonly DateTimeOffset Now = new(2026, 6, 15, 2, 0, 0, TimeSpan.Zero);
    private readonly string _directory = TemplateDatabase.CopyToNewDataDirectory("pipeline");

    private string File => Path.Combine(_directory, "crm.db");

    public void Dispose() => TemplateDatabase.TryDelete(_directory);

    [Fact]
    public async Task A_context_built_outside_the_host_stamps_audits_and_indexes_its_saves()
    {
        await using var db = TemplateDatabase.OpenContext(File, new FakeTimeProvider(Now));
        var firm = new Firm { Name = "上海管线测试科技有限公司", DistrictCode = string.Empty };
        db.Firms.Add(firm);
        await db.SaveChangesAsync();

        Assert.Equal(1, firm.Version);
        Assert.Equal(Now.UtcDateTime, firm.CreatedAt);
        Assert.Equal(Now.UtcDateTime, firm.UpdatedAt);
        Assert.Equal(Firm.DefaultDistrictCode, firm.DistrictCode);
        Assert.NotEmpty(firm.SearchText);
        Assert.True(await db.Set<FirmSearchGram>().AnyAsync(g => g.FirmId == firm.Id));
        var audit = await db.AuditEntries.SingleAsync(a => a.EntityType == nameof(Firm) && a.EntityId == firm.Id);
        Assert.Equal("created", audit.Action);
        Assert.Equal(Now.UtcDateTime, audit.At);
        Assert.Contains(audit.Changes, c => c.Field == nameof(Firm.Name) && c.New == firm.Name);
    }

    [Fact]
    public async Task A_save_refused_for_a_stale_version_leaves_no_transaction_behind_and_the_next_save_commits()
    {
        long id;
        await using (var first = TemplateDatabase.OpenContext(File))
        {
            var created = new Firm { Name = "上海过期版本科技有限公司" };
            first.Firms.Add(created);
            await first.SaveChangesAsync();
            id = created.Id;
        }

        await using var stale = TemplateDatabase.OpenContext(File);
        var mine = await stale.Firms.SingleAsync(f => f.Id == id);
        await using (var other = TemplateDatabase.OpenContext(File))
        {
            (await other.Firms.SingleAsync(f => f.Id == id)).Address = "别人改的地址";
            await other.SaveChangesAsync();
        }

        mine.Address = "我改的地址";
        await Assert.ThrowsAsync<DbUpdateConcurrencyException>(() => stale.SaveChangesAsync());
        Assert.Null(stale.Database.CurrentTransaction);

        stale.ChangeTracker.Clear();
        stale.Contacts.Add(new Contact { FirmId = id, Name = "张三" });
        await stale.SaveChangesAsync();
        await using var check = TemplateDatabase.OpenContext(File);
        Assert.Equal(1, await check.Contacts.CountAsync(c => c.FirmId == id));
        Assert.Equal(1, await check.AuditEntries.CountAsync(a => a.EntityType == nameof(Contact) && a.FirmId == id));
    }
}
