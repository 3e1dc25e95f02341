using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Xuhui.Crm.Web.Tests.Reminders;

/// <summary>
/// The least an SMTP server can be: raw sockets, every command answered 250 (354 for DATA), message bodies counted
/// and dropped. It is the yardstick for the SMTP throughput benchmark: whatever it takes per message is the client's
/// own cost. <paramref name="noDelay"/> switches Nagle off on the accepted sockets; <paramref name="pipelining"/>
/// decides whether PIPELINING is offered.
/// </summary>
public sealed class RawSmtpSink : IAsyncDisposable
{
    private readonly TcpListener _listener;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _accepting;
    private readonly bool _noDelay;
    private readonly bool _pipelining;
    private int _messages;

    public RawSmtpSink(bool noDelay, bool pipelining = true)
    {
        _noDelay = noDelay;
        _pipelining = pipelining;
        _listener = new TcpListener(IPAddress.Loopback, 0);
        _listener.Start();
        Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
        _accepting = AcceptAsync();
    }

    public int Port { get; }

    public int Messages => Volatile.Read(ref _messages);

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
        _listener.Stop();
        try
        {
            await _accepting;
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
        {
        }

        _stop.Dispose();
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            var socket = await _listener.AcceptSocketAsync(_stop.Token);
            socket.NoDelay = _noDelay;
            _ = Task.Run(() => SessionAsync(socket));
        }
    }

    private async Task SessionAsync(Socket socket)
    {
        using var _ = socket;
        await using var stream = new NetworkStream(socket);
        using var reader = new StreamReader(stream, Encoding.Latin1, false, 64 * 1024);
        async Task ReplyAsync(string text) => await stream.WriteAsync(Encoding.ASCII.GetBytes(text + "\r\n"), _stop.Token);
        try
        {
            await ReplyAsync("220 localhost raw sink");
            while (await reader.ReadLineAsync(_stop.Token) is { } line)
            {
                var verb = line.Length >= 4 ? line[..4].ToUpperInvariant() : line.ToUpperInvariant();
                switch (verb)
                {
                    case "EHLO":
                        await ReplyAsync(_pipelining ? "250-localhost\r\n250-8BITMIME\r\n250-PIPELINING\r\n250 SMTPUTF8" : "250-localhost\r\n250-8BITMIME\r\n250 SMTPUTF8");
                        break;
                    case "DATA":
                        await ReplyAsync("354 go ahead");
                        while (await reader.ReadLineAsync(_stop.Token) is { } data && data != ".")
                        {
                        }

                        Interlocked.Increment(ref _messages);
                        await ReplyAsync("250 2.0.0 queued");
                        break;
                    case "QUIT":
                        await ReplyAsync("221 bye");
                        return;
                    default:
                        await ReplyAsync("250 ok");
                        break;
                }
            }
        }
        catch (Exception e) when (e is IOException or SocketException or OperationCanceledException)
        {
        }
    }
}
