using System.Net;
using Microsoft.EntityFrameworkCore;
using Xuhui.Crm.Domain.Users;
using Xuhui.Crm.Web.Tests.Infrastructure;
using Xuhui.Crm.Web.Features.Operations;

namespace Xuhui.Crm.Web.Tests.Imports;

/// <summary>
/// A firm export carries each firm's first contact: in full, it is recorded in ContactAccesses exactly as a contact-list
/// view is (for someone who is not one of the firm's officers), one row per contact shown, for every format.
/// </summary>
public sealed class ExportAccessTests(CrmFactory factory) : IClassFixture<CrmFactory>
{
    private const string Route = "GET /api/exports/firms";

    private Task<List<(long ContactId, long FirmId, long UserId)>> AccessesAsync(long userId) =>
        factory.WithDbAsync(async db => (await db.ContactAccesses.AsNoTracking().Where(a => a.UserId == userId && a.Route == Route).OrderBy(a => a.Id).ToListAsync())
            .Select(a => (a.ContactId, a.FirmId, a.UserId)).ToList());

    [Theory]
    [InlineData("csv")]
    [InlineData("xlsx")]
    public async Task A_supervisors_full_export_records_each_contact_shown_except_on_their_own_firms(string format)
    {
        var (supervisor, client) = await factory.UserAndClientAsync(Roles.Supervisor);
        var (officer, officerClient) = await factory.UserAndClientAsync(Roles.Officer);
        using var admin = await factory.AdminAsync();
        var tag = "导出" + Guid.NewGuid().ToString("N")[..6];
        var expected = new List<(long ContactId, long FirmId)>();
        for (var i = 0; i < 12; i++)
        {
            var lead = i == 0 ? supervisor.Id : officer.Id;
            var firm = await admin.CreateFirmAsync(TestData.Firm($"上海{tag}科技有限公司{i}").With("leadOfficerId", lead));
            if (i == 1)
            {
                continue; // no contact: nothing to record
            }

            var first = await admin.PostJsonAsync($"/api/firms/{firm.Id()}/contacts", new { name = "联系人" + i, phone = $"139{i:D8}", email = $"c{i}@example.cn" }, HttpStatusCode.Created);
            await admin.PostJsonAsync($"/api/firms/{firm.Id()}/contacts", new { name = "第二联系人" + i, phone = $"138{i:D8}" }, HttpStatusCode.Created);
            if (i != 0)
            {
                expected.Add((first.Id(), firm.Id()));
            }
        }

        using (client)
        using (officerClient)
        {
            using var export = await client.GetAsync($"/api/exports/firms?format={format}&q={Uri.EscapeDataString(tag)}");
            Assert.Equal(HttpStatusCode.OK, export.StatusCode);
            if (format == "csv")
            {
                var text = await export.Content.ReadAsStringAsync();
                Assert.Contains("13900000002", text, StringComparison.Ordinal);
                // The row carries no more columns than its header.
                var lines = text.Split('\n', StringSplitOptions.RemoveEmptyEntries);
                Assert.All(lines, l => Assert.Equal(lines[0].Count(c => c == ','), l.Count(c => c == ',')));
            }

            var recorded = await AccessesAsync(supervisor.Id);
            Assert.Equal(expected.Order(), recorded.Select(r => (r.ContactId, r.FirmId)).Order());

            // A second export is a second view: recorded again.
            using (var again = await client.GetAsync($"/api/exports/firms?format={format}&q={Uri.EscapeDataString(tag)}"))
            {
                Assert.Equal(HttpStatusCode.OK, again.StatusCode);
            }

            Assert.Equal(expected.Count * 2, (await AccessesAsync(supervisor.Id)).Count);

            // The firms' own officer sees their contacts in full and is not recorded; a narrower filter records less.
            using (var own = await officerClient.GetAsync($"/api/exports/firms?format={format}&q={Uri.EscapeDataString(tag)}"))
            {
                Assert.Equal(HttpStatusCode.OK, own.StatusCode);
            }

            Assert.Empty(await AccessesAsync(officer.Id));
        }
    }

    [Fact]
    public async Task A_masked_export_records_nothing_and_a_filtered_one_only_its_firms()
    {
        var (viewer, viewerClient) = await factory.UserAndClientAsync(Roles.Viewer);
        var (_, otherOfficer) = await factory.UserAndClientAsync(Roles.Officer);
        using var admin = await factory.AdminAsync();
        var adminId = (await admin.GetJsonAsync("/api/auth/me")).Id();
        var tag = "掩码" + Guid.NewGuid().ToString("N")[..6];
        var firms = new List<(long FirmId, long ContactId, string Code)>();
        for (var i = 0; i < 3; i++)
        {
            var firm = await admin.CreateFirmAsync(TestData.Firm($"上海{tag}科技有限公司{i}"));
            var contact = await admin.PostJsonAsync($"/api/firms/{firm.Id()}/contacts", new { name = "联系人", phone = "13912340000" }, HttpStatusCode.Created);
            firms.Add((firm.Id(), contact.Id(), firm.Str("creditCode")!));
        }

        using (viewerClient)
        using (otherOfficer)
        {
            foreach (var client in new[] { viewerClient, otherOfficer })
            {
                using var masked = await client.GetAsync($"/api/exports/firms?format=csv&q={Uri.EscapeDataString(tag)}");
                var text = (await masked.Content.ReadAsStringAsync());
                Assert.DoesNotContain("13912340000", text, StringComparison.Ordinal);
            }

            Assert.Empty(await AccessesAsync(viewer.Id));
            var before = (await AccessesAsync(adminId)).Count;
            using (var one = await admin.GetAsync($"/api/exports/firms?format=csv&q={firms[1].Code}"))
            {
                Assert.Equal(HttpStatusCode.OK, one.StatusCode);
            }

            var added = (await AccessesAsync(adminId)).Skip(before).ToList();
            Assert.Equal([(firms[1].ContactId, firms[1].FirmId, adminId)], added);
        }
    }
}
