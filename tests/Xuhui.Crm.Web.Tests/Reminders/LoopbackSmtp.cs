using System.Buffers;
using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using MimeKit;
using SmtpServer;
using SmtpServer.ComponentModel;
using SmtpServer.Protocol;
using SmtpServer.Storage;

namespace Xuhui.Crm.Web.Tests.Reminders;

/// <summary>A real SMTP server on 127.0.0.1 whose answer to the message data can be scripted (451 for a while, 550…).</summary>
public sealed class LoopbackSmtp : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly SmtpServer.SmtpServer _server;
    private readonly Task _running;
    private int _attempts;

    public LoopbackSmtp(int port = 0)
    {
        Port = port == 0 ? FreePort() : port;
        var options = new SmtpServerOptionsBuilder().ServerName("localhost").Endpoint(e => e.Endpoint(new IPEndPoint(IPAddress.Loopback, Port))).Build();
        var services = new ServiceProvider();
        services.Add(new Store(this));
        _server = new SmtpServer.SmtpServer(options, services);
        _running = _server.StartAsync(_stop.Token);
    }

    public int Port { get; }

    /// <summary>The reply to the n-th DATA (1-based); null accepts.</summary>
    public Func<int, SmtpResponse?> Reply { get; set; } = _ => null;

    /// <summary>Every DATA the server saw, accepted or not.</summary>
    public int Attempts => _attempts;

    public ConcurrentQueue<Received> Accepted { get; } = new();

    public Dictionary<string, string?> Settings => new()
    {
        ["Crm:Smtp:Host"] = "127.0.0.1",
        ["Crm:Smtp:Port"] = Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Crm:Smtp:Security"] = "None",
        ["Crm:Smtp:TimeoutSeconds"] = "10",
    };

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        try
        {
            await _running;
        }
        catch (OperationCanceledException)
        {
        }

        _stop.Dispose();
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public sealed record Received(IReadOnlyList<string> Recipients, MimeMessage Message);

    private sealed class Store(LoopbackSmtp owner) : MessageStore
    {
        public override async Task<SmtpResponse> SaveAsync(ISessionContext context, IMessageTransaction transaction, ReadOnlySequence<byte> buffer, CancellationToken cancellationToken)
        {
            var attempt = Interlocked.Increment(ref owner._attempts);
            if (owner.Reply(attempt) is { } reply)
            {
                return reply;
            }

            using var stream = new MemoryStream(buffer.ToArray());
            var message = await MimeMessage.LoadAsync(stream, cancellationToken);
            owner.Accepted.Enqueue(new Received(transaction.To.Select(t => $"{t.User}@{t.Host}").ToList(), message));
            return SmtpResponse.Ok;
        }
    }
}
