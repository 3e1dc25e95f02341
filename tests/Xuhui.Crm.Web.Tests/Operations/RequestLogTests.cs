using System.Collections.Concurrent;
using System.Net;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Logging;
using Xuhui.Crm.Web.Tests.Infrastructure;

namespace Xuhui.Crm.Web.Tests.Operations;

public sealed class RequestLogTests(RequestLogTests.Factory factory) : IClassFixture<RequestLogTests.Factory>
{
    /// <summary>Captures every log line of the host at the shipped levels (appsettings.json), with Information as the default.</summary>
    public sealed class Factory : CrmFactory, ILoggerProvider
    {
        public ConcurrentQueue<string> Lines { get; } = new();

        protected override IEnumerable<KeyValuePair<string, string?>> Settings() =>
            [
                new("Logging:LogLevel:Default", "Information"),
                new("Logging:LogLevel:Microsoft.AspNetCore", "Warning"),
                new("Logging:LogLevel:Microsoft.AspNetCore.Hosting.Diagnostics", "Warning"),
                new("Logging:LogLevel:Microsoft.EntityFrameworkCore", "Warning"),
            ];

        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.ConfigureLogging(l => l.AddProvider(this));
        }

        public ILogger CreateLogger(string categoryName) => new Capture(categoryName, Lines);

        void IDisposable.Dispose()
        {
        }

        private sealed class Capture(string category, ConcurrentQueue<string> lines) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state)
                where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
                lines.Enqueue($"{category}: {formatter(state, exception)} {exception}");
        }
    }

    [Fact]
    public async Task Each_request_is_logged_once_with_route_status_and_user_and_never_with_contact_details_or_queries()
    {
        using var admin = await factory.AdminAsync();
        var firm = await admin.CreateFirmAsync();
        await admin.PostJsonAsync($"/api/firms/{firm.Id()}/contacts", new { name = "卫七", phone = "13655556666", email = "wei@example.cn" }, HttpStatusCode.Created);
        await admin.GetJsonAsync("/api/firms?q=13655556666");

        var requests = factory.Lines.Where(l => l.StartsWith("Xuhui.Crm.Requests:", StringComparison.Ordinal)).ToList();
        Assert.Contains(requests, l => l.Contains("POST /api/firms/{firmId:long}/contacts 201", StringComparison.Ordinal) && l.Contains("user=1", StringComparison.Ordinal));
        Assert.Contains(requests, l => l.Contains("GET /api/firms/ 200", StringComparison.Ordinal) || l.Contains("GET /api/firms 200", StringComparison.Ordinal));
        foreach (var secret in new[] { "13655556666", "wei@example.cn", "卫七" })
        {
            Assert.DoesNotContain(factory.Lines, l => l.Contains(secret, StringComparison.Ordinal));
        }
    }
}
