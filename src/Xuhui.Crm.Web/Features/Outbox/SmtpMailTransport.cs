using System.Net.Sockets;
using MailKit.Net.Smtp;
using MailKit.Security;
using Microsoft.Extensions.Options;
using MimeKit;
using Xuhui.Crm.Web.Shared.Localisation;

namespace Xuhui.Crm.Web.Features.Outbox;

/// <summary>
/// MailKit over one connection per batch. SmtpClient is not thread-safe and has no pool, and its async calls have
/// no socket timeout of their own, so every call runs under a token that also carries the configured timeout.
/// </summary>
public sealed class SmtpMailTransport(IOptions<SmtpOptions> options, ILogger<SmtpMailTransport> logger) : IMailTransport
{
    public string Describe => $"smtp://{options.Value.Host}:{options.Value.Port} ({options.Value.Security})";

    public async Task<IMailSession> OpenAsync(CancellationToken ct)
    {
        var o = options.Value;
        var client = new SmtpClient { Timeout = o.TimeoutSeconds * 1000 };
        try
        {
            using (var connect = Timed(o, ct))
            {
                // SMTP is a chatty command/reply protocol: without NoDelay, Nagle and delayed ACKs add tens of ms per command.
                var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                try
                {
                    await socket.ConnectAsync(o.Host!, o.Port, connect.Token);
                    await client.ConnectAsync(socket, o.Host!, o.Port, Map(o.Security), connect.Token);
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
            }

            // Authenticate when the server offers it and we have credentials; a server that offers nothing gets none.
            if (client.Capabilities.HasFlag(SmtpCapabilities.Authentication) && !string.IsNullOrEmpty(o.UserName))
            {
                using var auth = Timed(o, ct);
                await client.AuthenticateAsync(o.UserName, o.Password ?? string.Empty, auth.Token);
            }

            return new Session(client, o, logger);
        }
        catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            await Session.CloseAsync(client, o, logger);
            client.Dispose();
            throw new MailConnectionException(Text.F("无法连接邮件服务器 {0}：{1}: {2}", Describe, e.GetType().Name, e.Message), e);
        }
    }

    internal static CancellationTokenSource Timed(SmtpOptions o, CancellationToken ct)
    {
        var cts = CancellationTokenSource.CreateLinkedTokenSource(ct);
        cts.CancelAfter(TimeSpan.FromSeconds(o.TimeoutSeconds));
        return cts;
    }

    private static SecureSocketOptions Map(SmtpSecurity security) => security switch
    {
        SmtpSecurity.None => SecureSocketOptions.None,
        SmtpSecurity.StartTls => SecureSocketOptions.StartTls,
        SmtpSecurity.SslOnConnect => SecureSocketOptions.SslOnConnect,
        _ => throw new ArgumentOutOfRangeException(nameof(security)),
    };

    private sealed class Session(SmtpClient client, SmtpOptions o, ILogger logger) : IMailSession
    {
        public async Task SendAsync(MimeMessage message, long outboxId, CancellationToken ct)
        {
            using var send = Timed(o, ct);
            try
            {
                await client.SendAsync(message, send.Token);
            }
            catch (OperationCanceledException) when (!ct.IsCancellationRequested)
            {
                throw new TimeoutException(Text.F("SMTP 发送超时（{0} 秒）", o.TimeoutSeconds));
            }
        }

        public async ValueTask DisposeAsync()
        {
            await CloseAsync(client, o, logger);
            client.Dispose();
        }

        /// <summary>QUIT before dispose: dispose alone drops the socket without it.</summary>
        internal static async Task CloseAsync(SmtpClient client, SmtpOptions o, ILogger logger)
        {
            if (!client.IsConnected)
            {
                return;
            }

            try
            {
                using var quit = Timed(o, CancellationToken.None);
                await client.DisconnectAsync(true, quit.Token);
            }
            catch (Exception e)
            {
                logger.LogDebug(e, "SMTP QUIT failed; the connection is dropped");
            }
        }
    }
}
