using System.Net;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Xuhui.Crm.Web.Tests.Infrastructure;

namespace Xuhui.Crm.Web.Tests.Imports;

/// <summary>The import applies the contacts API's rules: a bad phone or e-mail cell is a row error and commits nothing of the row.</summary>
public sealed class ImportContactRulesTests(CrmFactory factory) : IClassFixture<CrmFactory>
{
    private static readonly string[] Header = ["企业名称", "统一社会信用代码", "联系人", "联系电话", "邮箱"];

    public static TheoryData<string?, string?, string> BadContacts() => new()
    {
        { "1390000ABCD<script>", null, "phone" },
        { null, "not-an-email", "email" },
        { "+-() -", null, "phone" },
        { "12", null, "phone" },
        { new string('1', 40), null, "phone" },
        { null, "zhang@", "email" },
        { null, "@example.cn", "email" },
        { null, "zhang san@example.cn", "email" },
        { null, "<script>@example.cn", "email" },
        { null, "a@b@example.cn", "email" },
        { null, "zhang@exa_mple.cn", "email" },
        { null, "zhang@example..cn", "email" },
    };

    private static JsonNode RowAt(JsonNode report, int row) =>
        report["rows"]!.AsArray().First(r => r!["row"]!.GetValue<int>() == row)!;

    [Theory]
    [MemberData(nameof(BadContacts))]
    public async Task A_contact_value_the_API_refuses_is_refused_by_the_import_on_its_cell(string? phone, string? email, string field)
    {
        using var admin = await factory.AdminAsync();
        var firm = await admin.CreateFirmAsync(TestData.Firm("上海联系规则科技有限公司" + Guid.NewGuid().ToString("N")[..6], ImportFiles.Code()));

        // The API's answer for the same values.
        var before = await factory.RowCountsAsync();
        var api = await admin.PostJsonAsync($"/api/firms/{firm.Id()}/contacts", new { name = "张三", phone, email }, HttpStatusCode.BadRequest);
        Assert.NotEmpty(api.ErrorsFor(field));
        Assert.Equal(before, await factory.RowCountsAsync());

        var newCode = ImportFiles.Code();
        var goodCode = ImportFiles.Code();
        var file = ImportFiles.Csv([
            Header,
            ["上海联系新建科技有限公司" + newCode[^6..], newCode, "李四", phone, email],        // 2: new firm, bad contact
            [firm.Str("name"), firm.Str("creditCode"), "王五", phone, email],                  // 3: existing firm, bad contact
            ["上海联系良好科技有限公司" + goodCode[^6..], goodCode, "赵六", "021-6488 1234", "zhao.liu@example.cn"], // 4: good
        ]);

        using (var refused = await admin.UploadAsync(file, "contacts.csv"))
        {
            var report = (await refused.ExpectAsync(HttpStatusCode.UnprocessableEntity))!;
            var after = await factory.RowCountsAsync();
            foreach (var table in new[] { "Firms", "Contacts", "AuditEntries" })
            {
                Assert.Equal(before[table], after[table]);
            }

            var column = field == "phone" ? "D" : "E";
            foreach (var row in new[] { 2, 3 })
            {
                var r = RowAt(report, row);
                Assert.Equal("error", r["outcome"]!.GetValue<string>());
                Assert.Contains(r["errors"]!.AsArray(), e => e!["column"]!.GetValue<string>() == column && e["message"]!.GetValue<string>().Length > 0);
            }

            Assert.Equal("create", RowAt(report, 4)["outcome"]!.GetValue<string>());
        }

        using (var skipped = await admin.UploadAsync(file, "contacts.csv", "?skipErrors=true"))
        {
            var report = (await skipped.ExpectAsync(HttpStatusCode.OK))!;
            Assert.Equal("committed", report["status"]!.GetValue<string>());
        }

        var contacts = await factory.WithDbAsync(db => db.Contacts.AsNoTracking().Select(c => new { c.Name, c.Phone, c.Email, c.FirmId }).ToListAsync());
        Assert.DoesNotContain(contacts, c => c.Name is "李四" or "王五");
        Assert.DoesNotContain(contacts, c => c.FirmId == firm.Id());
        Assert.Contains(contacts, c => c.Name == "赵六" && c.Phone == "021-6488 1234" && c.Email == "zhao.liu@example.cn");
        Assert.False(await factory.WithDbAsync(db => db.Firms.AnyAsync(f => f.CreditCode == newCode)));
    }
}
