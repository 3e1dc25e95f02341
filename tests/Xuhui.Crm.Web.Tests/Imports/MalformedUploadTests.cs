using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Mvc.Testing;
using Xuhui.Crm.Web.Tests.Infrastructure;

namespace Xuhui.Crm.Web.Tests.Imports;

/// <summary>Bodies that are not the multipart upload they claim to be: a 400 naming the file, never a 500, nothing written.</summary>
public sealed partial class MalformedUploadTests(CrmFactory factory) : IClassFixture<CrmFactory>
{
    private const string Csv = "企业名称,统一社会信用代码\r\n上海坏包科技有限公司,91310104MA1FL0XX0X\r\n";

    public static TheoryData<string, string?, string> Bodies() => new()
    {
        { "no boundary", "multipart/form-data", "--b\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.csv\"\r\n\r\n" + Csv + "\r\n--b--\r\n" },
        { "truncated part", "multipart/form-data; boundary=b", "--b\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.csv\"\r\nContent-Type: text/csv\r\n\r\n" + Csv[..20] },
        { "truncated headers", "multipart/form-data; boundary=b", "--b\r\nContent-Disposition: form-da" },
        { "no closing boundary", "multipart/form-data; boundary=b", "--b\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.csv\"\r\n\r\n" + Csv + "\r\n--b\r\n" },
        { "other boundary in body", "multipart/form-data; boundary=b", "--zz\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.csv\"\r\n\r\n" + Csv + "\r\n--zz--\r\n" },
        { "garbage", "multipart/form-data; boundary=b", "\u0000\u0001garbage \u00ff not a multipart body at all" },
        { "empty body", "multipart/form-data; boundary=b", string.Empty },
        { "bad part header", "multipart/form-data; boundary=b", "--b\r\nthis is not a header line\r\n\r\n" + Csv + "\r\n--b--\r\n" },
        { "boundary over the length limit", "multipart/form-data; boundary=" + new string('x', 200), "--" + new string('x', 200) + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.csv\"\r\n\r\n" + Csv + "\r\n--" + new string('x', 200) + "--\r\n" },
        { "missing file part", "multipart/form-data; boundary=b", "--b\r\nContent-Disposition: form-data; name=\"mappingName\"\r\n\r\n枫林街道\r\n--b--\r\n" },
        { "file part without a file name", "multipart/form-data; boundary=b", "--b\r\nContent-Disposition: form-data; name=\"file\"\r\n\r\n" + Csv + "\r\n--b--\r\n" },
        { "empty file", "multipart/form-data; boundary=b", "--b\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.csv\"\r\n\r\n\r\n--b--\r\n" },
        { "url-encoded form", "application/x-www-form-urlencoded", "file=" + Uri.EscapeDataString(Csv) },
        { "broken url-encoded form", "application/x-www-form-urlencoded", "file=%E4%zz&&=%" },
        { "text body", "text/csv", Csv },
        { "JSON body", "application/json", "{\"file\":\"a.csv\"}" },
        { "no content type", null, Csv },
    };

    [Theory]
    [MemberData(nameof(Bodies))]
    public async Task A_malformed_upload_is_a_400_naming_the_file_and_writes_nothing(string what, string? contentType, string body)
    {
        using var admin = await factory.AdminAsync();
        var before = await factory.RowCountsAsync();
        using var content = new ByteArrayContent(Encoding.UTF8.GetBytes(body));
        if (contentType is not null)
        {
            content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        }

        using var response = await admin.PostAsync("/api/imports", content);
        var problem = await response.ExpectAsync(HttpStatusCode.BadRequest);
        Assert.True(problem is not null, what);
        Assert.NotEmpty(problem!.ErrorsFor("file"));
        Assert.Equal(before, await factory.RowCountsAsync());
    }

    [Theory]
    [MemberData(nameof(Bodies))]
    public async Task A_malformed_form_to_a_page_is_never_a_server_error(string what, string? contentType, string body)
    {
        using var anonymous = factory.Anonymous();
        var before = await factory.RowCountsAsync();
        using var content = new ByteArrayContent(Encoding.UTF8.GetBytes(body));
        if (contentType is not null)
        {
            content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        }

        using var response = await anonymous.PostAsync("/login", content);
        Assert.True((int)response.StatusCode is >= 400 and < 500, $"{what}: /login answered {(int)response.StatusCode}");
        Assert.Equal(before, await factory.RowCountsAsync());
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex Csrf();

    [Theory]
    [MemberData(nameof(Bodies))]
    public async Task A_malformed_upload_to_the_import_page_is_never_a_server_error(string what, string? contentType, string body)
    {
        using var client = factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });
        var login = await client.GetStringAsync("/login");
        using (var form = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["UserName"] = "admin", ["Password"] = factory.AdminPassword, ["__RequestVerificationToken"] = Csrf().Match(login).Groups[1].Value,
        }))
        using (var signedIn = await client.PostAsync("/login", form))
        {
            Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode);
        }

        var before = await factory.RowCountsAsync();
        using var content = new ByteArrayContent(Encoding.UTF8.GetBytes(body));
        if (contentType is not null)
        {
            content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        }

        using var response = await client.PostAsync("/imports?handler=Preview", content);
        Assert.True((int)response.StatusCode is >= 400 and < 500, $"{what}: /imports answered {(int)response.StatusCode}");
        Assert.Equal(before, await factory.RowCountsAsync());
    }
}
