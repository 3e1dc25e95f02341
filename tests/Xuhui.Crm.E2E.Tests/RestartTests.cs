namespace Xuhui.Crm.E2E.Tests;

[Collection(CrmCollection.Name)]
public sealed class RestartTests(CrmApp app)
{
    [Fact]
    public async Task A_signed_in_officer_stays_signed_in_when_the_app_restarts_because_the_keys_live_in_the_data_directory()
    {
        var page = await app.SignInAsync("wangfang");
        var (restarted, url) = app.StartHost();
        await using (restarted)
        {
            // Cookies are not bound to a port: the same browser context presents its cookie to the new host.
            // A cold host on a shared 2-core machine can be slow to answer its first request.
            var response = await page.GotoAsync(url + "/", new() { WaitUntil = Microsoft.Playwright.WaitUntilState.DOMContentLoaded, Timeout = 90_000 });
            Assert.Equal(200, response!.Status);
            Assert.StartsWith(url + "/", page.Url, StringComparison.Ordinal);
            Assert.DoesNotContain("/login", page.Url, StringComparison.Ordinal);
            await Microsoft.Playwright.Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("我的工作台");
        }

        await page.Context.CloseAsync();
    }
}
