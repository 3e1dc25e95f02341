using System.Buffers;
using System.Collections.Concurrent;
using System.Net;
using System.IO.Pipelines;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using MimeKit;
using SmtpServer;
using SmtpServer.ComponentModel;
using SmtpServer.IO;
using SmtpServer.Net;
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
    private int _openSessions;

    /// <param name="noDelay">False reproduces the library's own listener (Nagle on): ~47 ms per message.</param>
    public LoopbackSmtp(int port = 0, bool noDelay = true)
    {
        Port = port == 0 ? FreePort() : port;
        var options = new SmtpServerOptionsBuilder().ServerName("localhost").Endpoint(e => e.Endpoint(new IPEndPoint(IPAddress.Loopback, Port))).Build();
        var services = new ServiceProvider();
        services.Add(new Store(this));
        if (noDelay)
        {
            services.Add(new NoDelayListenerFactory(this));
        }

        _server = new SmtpServer.SmtpServer(options, services);
        _running = _server.StartAsync(_stop.Token);
    }

    public int Port { get; }

    /// <summary>The reply to the n-th DATA (1-based); null accepts.</summary>
    public Func<int, SmtpResponse?> Reply { get; set; } = _ => null;

    /// <summary>Every DATA the server saw, accepted or not.</summary>
    public int Attempts => _attempts;

    public ConcurrentQueue<Received> Accepted { get; } = new();

    /// <summary>Connections open right now (a killed client's session ends when the server notices the drop).</summary>
    public int OpenSessions => Volatile.Read(ref _openSessions);

    /// <summary>Called after a message is stored and before the 250 is written.</summary>
    public Action<Received>? OnAccepted { get; set; }

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
            var received = new Received(transaction.To.Select(t => $"{t.User}@{t.Host}").ToList(), message);
            owner.Accepted.Enqueue(received);
            owner.OnAccepted?.Invoke(received);
            return SmtpResponse.Ok;
        }
    }

    /// <summary>
    /// Accepts with Nagle off. SmtpServer writes each reply to a pipelined MAIL/RCPT/DATA group as soon as it has it;
    /// with Nagle on, the second reply waits for the ACK of the first, which the client delays by 40 ms (Linux's
    /// minimum delayed-ACK time) because it has nothing to send until it has all three replies: ~47 ms per message,
    /// whatever its size. A raw socket sink shows the same with Nagle on and ~2 ms per message with it off.
    /// </summary>
    private sealed class NoDelayListenerFactory(LoopbackSmtp owner) : IEndpointListenerFactory
    {
        public IEndpointListener CreateListener(IEndpointDefinition endpointDefinition)
        {
            var listener = new TcpListener(endpointDefinition.Endpoint);
            listener.Start();
            return new Listener(owner, listener);
        }
    }

    private sealed class Listener(LoopbackSmtp owner, TcpListener listener) : IEndpointListener
    {
        public async Task<ISecurableDuplexPipe> GetPipeAsync(ISessionContext context, CancellationToken cancellationToken)
        {
            var socket = await listener.AcceptSocketAsync(cancellationToken);
            socket.NoDelay = true;
            Interlocked.Increment(ref owner._openSessions);
            return new Pipe(new NetworkStream(socket, ownsSocket: true), () => Interlocked.Decrement(ref owner._openSessions));
        }

        public void Dispose() => listener.Stop();
    }

    private sealed class Pipe : ISecurableDuplexPipe
    {
        private readonly Action _closed;
        private Stream _stream;
        private int _disposed;

        public Pipe(Stream stream, Action closed)
        {
            _stream = stream;
            _closed = closed;
            Input = PipeReader.Create(stream);
            Output = PipeWriter.Create(stream);
        }

        public PipeReader Input { get; private set; }

        public PipeWriter Output { get; private set; }

        public bool IsSecure => _stream is SslStream;

        public SslProtocols SslProtocol => (_stream as SslStream)?.SslProtocol ?? SslProtocols.None;

        public async Task UpgradeAsync(X509Certificate certificate, SslProtocols protocols, CancellationToken cancellationToken = default)
        {
            var ssl = new SslStream(_stream, leaveInnerStreamOpen: false);
            await ssl.AuthenticateAsServerAsync(certificate, false, protocols, true);
            _stream = ssl;
            Input = PipeReader.Create(ssl);
            Output = PipeWriter.Create(ssl);
        }

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0)
            {
                _stream.Dispose();
                _closed();
            }
        }
    }
}
