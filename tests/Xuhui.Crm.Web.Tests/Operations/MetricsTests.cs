using System.Net;
using System.Net.Http.Headers;
using Xuhui.Crm.Web.Tests.Infrastructure;

namespace Xuhui.Crm.Web.Tests.Operations;

public sealed class MetricsTests(MetricsTests.Factory factory) : IClassFixture<MetricsTests.Factory>
{
    public sealed class Factory : CrmFactory
    {
        public const string ScrapeToken = "scrape-token-for-tests-0123456789";

        protected override IEnumerable<KeyValuePair<string, string?>> Settings() =>
            [new("Crm:Metrics:Enabled", "true"), new("Crm:Metrics:ScrapeToken", ScrapeToken)];
    }

    [Fact]
    public async Task Metrics_are_served_as_prometheus_text_to_an_admin_or_the_scrape_token_and_refused_to_anyone_else()
    {
        using var admin = await factory.AdminAsync();
        await admin.GetJsonAsync("/api/firms");

        var text = await admin.GetStringAsync(new Uri("/metrics", UriKind.Relative));
        Assert.Contains("http_server_request_duration_seconds", text, StringComparison.Ordinal);

        using var scraper = factory.Anonymous();
        scraper.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Factory.ScrapeToken);
        using var scraped = await scraper.GetAsync(new Uri("/metrics", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, scraped.StatusCode);

        using var anonymous = factory.Anonymous();
        using var refused = await anonymous.GetAsync(new Uri("/metrics", UriKind.Relative));
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
    }
}
