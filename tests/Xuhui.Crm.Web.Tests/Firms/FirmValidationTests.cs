using System.Net;
using System.Text.Json.Nodes;
using Xuhui.Crm.Web.Tests.Infrastructure;

namespace Xuhui.Crm.Web.Tests.Firms;

/// <summary>Bad input gets a 400 naming each offending field, writes nothing, and never produces a 500.</summary>
public sealed class FirmValidationTests(CrmFactory factory) : IClassFixture<CrmFactory>
{
    /// <summary>Field to set, its raw JSON value, the error key expected.</summary>
    public static TheoryData<string, string, string> BadFields => new()
    {
        { "headcount", "\"many\"", "headcount" },
        { "name", "123", "name" },
        { "coOfficerIds", "\"7\"", "coOfficerIds" },
        { "establishedOn", "\"2026-02-30\"", "establishedOn" },
        { "establishedOn", "\"2026-13-01\"", "establishedOn" },
        { "establishedOn", "\"yesterday\"", "establishedOn" },
        { "ownership", "\"martian\"", "ownership" },
        { "tier", "\"gold\"", "tier" },
        { "status", "\"vanished\"", "status" },
        { "tier", "1", "tier" },
        { "headcount", "3000000000", "headcount" },
        { "headcount", "1.5", "headcount" },
        { "rdHeadcount", "-1", "rdHeadcount" },
        { "innovationScore", "101", "innovationScore" },
        { "financials", "[{\"year\":2025,\"salesRevenue\":1e30}]", "financials[0].salesRevenue" },
        { "financials", "[{\"year\":2025,\"salesRevenue\":1e18}]", "financials[0].salesRevenue" },
        { "financials", "[{\"year\":2025,\"salesRevenue\":100000000000000000}]", "financials[0].salesRevenue" },
        { "financials", "[{\"year\":2025,\"highTechRevenue\":99999999999999999999999999999999}]", "financials[0].highTechRevenue" },
        { "formerNames", "null", "formerNames" },
        { "coOfficerIds", "null", "coOfficerIds" },
        { "district", "\"999999\"", "district" },
        { "financials", "[null]", "financials[0]" },
        { "financials", "[{\"year\":2025,\"rdExpense\":-5}]", "financials[0].rdExpense" },
        { "financials", "[{\"year\":99999999999}]", "financials[0].year" },
        { "zone", "\"pudong\"", "zone" },
        { "industry", "\"mining\"", "industry" },
        { "techField", "\"区块链\"", "techField" },
        { "district", "\"31A104\"", "district" },
        { "name", "\"  \"", "name" },
        { "creditCode", "\"91310104MA1FL0000\"", "creditCode" },
        { "creditCode", "\"91310104MA1FL0000IO\"", "creditCode" },
    };

    [Fact]
    public async Task Creating_a_firm_with_a_bad_check_character_returns_400_saying_which_character_was_expected()
    {
        using var admin = await factory.AdminAsync();
        var (code, expected) = TestData.WithWrongCheckCharacter(TestData.NewCreditCode());
        var before = await factory.RowCountsAsync();

        var problem = await admin.PostJsonAsync("/api/firms", TestData.Firm(creditCode: code), HttpStatusCode.BadRequest);

        Assert.Contains(problem.ErrorsFor("creditCode"), m => m.Contains($"校验位应为 {expected}", StringComparison.Ordinal));
        Assert.Equal(before, await factory.RowCountsAsync());
    }

    [Fact]
    public async Task Creating_a_firm_with_two_digits_swapped_in_the_code_returns_400()
    {
        using var admin = await factory.AdminAsync();
        var code = TestData.RealCode; // 91110000600037341L
        var swapped = code[..12] + code[13] + code[12] + code[14..];
        var problem = await admin.PostJsonAsync("/api/firms", TestData.Firm(creditCode: swapped), HttpStatusCode.BadRequest);
        Assert.Contains(problem.ErrorsFor("creditCode"), m => m.Contains("校验位应为", StringComparison.Ordinal));
    }

    [Theory]
    [MemberData(nameof(BadFields))]
    public async Task Creating_a_firm_with_a_bad_field_returns_400_naming_it_and_writes_nothing(string field, string rawValue, string errorKey)
    {
        using var admin = await factory.AdminAsync();
        var body = TestData.Firm().With(field, JsonNode.Parse(rawValue));
        var before = await factory.RowCountsAsync();

        using var response = await admin.SendRawAsync(HttpMethod.Post, "/api/firms", body.ToJsonString());
        var problem = (await response.ExpectAsync(HttpStatusCode.BadRequest))!;

        Assert.NotEmpty(problem.ErrorsFor(errorKey));
        Assert.Equal(before, await factory.RowCountsAsync());
    }

    [Theory]
    [MemberData(nameof(BadFields))]
    public async Task Updating_a_firm_with_a_bad_field_returns_400_naming_it_and_changes_nothing(string field, string rawValue, string errorKey)
    {
        using var admin = await factory.AdminAsync();
        var firm = await admin.CreateFirmAsync();
        var body = firm.Editable().With(field, JsonNode.Parse(rawValue));
        var before = await factory.RowCountsAsync();

        using var response = await admin.SendRawAsync(HttpMethod.Put, $"/api/firms/{firm.Id()}", body.ToJsonString());
        var problem = (await response.ExpectAsync(HttpStatusCode.BadRequest))!;

        Assert.NotEmpty(problem.ErrorsFor(errorKey));
        Assert.Equal(before, await factory.RowCountsAsync());
        Assert.Equal(1, (await admin.GetJsonAsync($"/api/firms/{firm.Id()}")).Version());
    }

    [Fact]
    public async Task A_firm_with_several_bad_fields_gets_an_error_for_each()
    {
        using var admin = await factory.AdminAsync();
        var (code, _) = TestData.WithWrongCheckCharacter(TestData.NewCreditCode());
        var body = TestData.Firm(creditCode: code).With("zone", "pudong").With("industry", "mining").With("name", "");
        var problem = await admin.PostJsonAsync("/api/firms", body, HttpStatusCode.BadRequest);
        Assert.NotEmpty(problem.ErrorsFor("creditCode"));
        Assert.NotEmpty(problem.ErrorsFor("zone"));
        Assert.NotEmpty(problem.ErrorsFor("industry"));
        Assert.NotEmpty(problem.ErrorsFor("name"));
    }

    [Theory]
    [InlineData("")]
    [InlineData("null")]
    [InlineData("[]")]
    [InlineData("\"firm\"")]
    [InlineData("42")]
    [InlineData("{")]
    [InlineData("{\"name\":")]
    [InlineData("{\"name\":\"x\",}")]
    [InlineData("{}")]
    [InlineData("{\"formerNames\":null,\"coOfficerIds\":null}")]
    [InlineData("{\"name\":\"上海空值测试有限公司\",\"creditCode\":null,\"isProspect\":true,\"formerNames\":[null]}")]
    [InlineData("{\"financials\":[null]}")]
    [InlineData("{\"district\":null}")]
    public async Task Malformed_firm_bodies_get_400_never_500(string raw)
    {
        using var admin = await factory.AdminAsync();
        var before = await factory.RowCountsAsync();
        using var post = await admin.SendRawAsync(HttpMethod.Post, "/api/firms", raw);
        await post.ExpectAsync(HttpStatusCode.BadRequest);
        Assert.Equal(before, await factory.RowCountsAsync());
    }

    [Theory]
    [InlineData("/api/firms?page=abc")]
    [InlineData("/api/firms?page=0")]
    [InlineData("/api/firms?pageSize=0")]
    [InlineData("/api/firms?pageSize=100000")]
    [InlineData("/api/firms?page=99999999999")]
    [InlineData("/api/firms?officerId=abc")]
    [InlineData("/api/firms?tier=gold")]
    [InlineData("/api/firms?status=vanished")]
    [InlineData("/api/firms?sort=secret")]
    public async Task Bad_query_strings_get_400_never_500(string url)
    {
        using var admin = await factory.AdminAsync();
        using var response = await admin.GetAsync(url);
        await response.ExpectAsync(HttpStatusCode.BadRequest);
    }

    [Theory]
    [InlineData("/api/firms?page=2147483647&pageSize=200")]
    [InlineData("/api/firms?q=%25")]
    [InlineData("/api/firms?q=_")]
    [InlineData("/api/firms?q=%27%20OR%201%3D1%20--")]
    [InlineData("/api/firms?q=%F0%9F%98%80%F0%9F%98%80%F0%9F%98%80")]
    [InlineData("/api/firms?q=%20%20")]
    [InlineData("/api/firms/99999999999999999999")]
    [InlineData("/api/firms/-1")]
    [InlineData("/api/firms/1/audit?limit=-5")]
    [InlineData("/api/firms/1/hnte-check?asOf=2026-02-30")]
    public async Task Odd_but_harmless_requests_never_get_a_500(string url)
    {
        using var admin = await factory.AdminAsync();
        using var response = await admin.GetAsync(url);
        Assert.True((int)response.StatusCode < 500, $"{url} gave {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
    }
}
