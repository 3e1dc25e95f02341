using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;
using Xuhui.Crm.Web.Features.Outbox;
using Xuhui.Crm.Web.Tests.Infrastructure;

namespace Xuhui.Crm.Web.Tests.Reminders;

/// <summary>
/// Where the time of handing messages to a loopback SMTP server goes: the same 200 queued messages dispatched to the
/// test server (SmtpServer library) and to a raw-socket sink with and without Nagle on its side. Opt-in like the digest
/// benchmark: <c>dotnet test tests/Xuhui.Crm.Web.Tests --filter Category=Benchmark --logger "console;verbosity=detailed"</c>.
/// </summary>
[Collection(RemindersCollection.Name)]
[Trait("Category", "Benchmark")]
public sealed class SmtpThroughputBenchmark(ITestOutputHelper output)
{
    private const int Count = 200;
    private static readonly DateOnly Monday = new(2026, 3, 9);

    [Theory]
    [InlineData("loopback-smtp-nagle", 2_000)]
    [InlineData("loopback-smtp", 2_000)]
    [InlineData("loopback-smtp", 40_000)]
    [InlineData("raw-sink-nagle", 2_000)]
    [InlineData("raw-sink-nodelay", 2_000)]
    [InlineData("raw-sink-nodelay", 40_000)]
    [InlineData("raw-sink-nagle-no-pipelining", 2_000)]
    public async Task Dispatch_200_messages(string server, int bodyBytes)
    {
        await using var smtp = server.StartsWith("loopback-smtp", StringComparison.Ordinal) ? new LoopbackSmtp(noDelay: server == "loopback-smtp") : null;
        await using var sink = server.StartsWith("raw-sink", StringComparison.Ordinal)
            ? new RawSmtpSink(noDelay: server.Contains("nodelay", StringComparison.Ordinal), pipelining: !server.Contains("no-pipelining", StringComparison.Ordinal))
            : null;
        await using var host = CrmFactory.On(CrmFactory.NewDataDirectory(), CrmFactory.ClockAt(2026, 3, 9, 8, 30), smtp?.Settings ?? sink!.Settings);
        Assert.Equal(Count, await OutboxSeed.QueueAsync(host, Count, bodyBytes, Monday));

        var watch = Stopwatch.StartNew();
        var sent = await host.Services.GetRequiredService<OutboxDispatcher>().DispatchDueAsync(CancellationToken.None);
        watch.Stop();

        output.WriteLine($"{server}, ~{bodyBytes / 1024} KiB bodies: {sent.Sent} sent in {watch.ElapsedMilliseconds} ms ({watch.Elapsed.TotalMilliseconds / Count:F1} ms per message)");
        Assert.Equal(Count, sent.Sent);
        Assert.Equal(Count, smtp?.Accepted.Count ?? sink!.Messages);
    }
}
