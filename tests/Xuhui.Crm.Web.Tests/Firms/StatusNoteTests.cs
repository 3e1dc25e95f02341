using System.Globalization;
using System.Net;
using Xuhui.Crm.Web.Features.Firms;
using Xuhui.Crm.Web.Tests.Infrastructure;

namespace Xuhui.Crm.Web.Tests.Firms;

/// <summary>The notes the service writes into a firm's status history are stored in Chinese and listed in the caller's language.</summary>
public sealed class StatusNoteTests(CrmFactory factory) : IClassFixture<CrmFactory>
{
    [Theory]
    [InlineData(null, "登记")]
    [InlineData("en", "Registered")]
    public async Task A_new_firms_registration_note_is_listed_in_the_callers_language(string? acceptLanguage, string note)
    {
        using var admin = await factory.AdminAsync();
        var firm = await admin.CreateFirmAsync();
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/firms/{firm.Id()}/status-changes");
        if (acceptLanguage is not null)
        {
            request.Headers.TryAddWithoutValidation("Accept-Language", acceptLanguage);
        }

        using var response = await admin.SendAsync(request);
        var history = (await response.ExpectAsync(HttpStatusCode.OK))!.AsArray();
        Assert.Equal(note, history.Single().Str("note"));
    }

    [Fact]
    public void Transfer_notes_are_stored_in_Chinese_and_shown_in_English_while_older_rows_keep_their_text()
    {
        var stored = StatusNotes.MovedTo("闵行区", "交接完毕");
        Assert.Equal("迁往闵行区：交接完毕", stored);
        Assert.Equal("自徐汇区迁入", StatusNotes.MovedFrom("徐汇区", null));

        var before = CultureInfo.CurrentUICulture;
        try
        {
            CultureInfo.CurrentUICulture = CultureInfo.GetCultureInfo("en");
            Assert.Equal("Transferred to 闵行区：交接完毕", StatusNotes.Show(stored));
            Assert.Equal("Transferred from 徐汇区", StatusNotes.Show(StatusNotes.MovedFrom("徐汇区", null)));
            Assert.Equal("Status before the transfer", StatusNotes.Show(StatusNotes.Baseline));
            Assert.Equal("企业自述已迁址", StatusNotes.Show("企业自述已迁址"));
            Assert.Equal("迁往闵行区 (transferred to 310112)", StatusNotes.Show("迁往闵行区 (transferred to 310112)"));

            CultureInfo.CurrentUICulture = CultureInfo.GetCultureInfo("zh-CN");
            Assert.Equal(stored, StatusNotes.Show(stored));
        }
        finally
        {
            CultureInfo.CurrentUICulture = before;
        }
    }
}
