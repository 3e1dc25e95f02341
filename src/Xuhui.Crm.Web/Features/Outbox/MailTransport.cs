using MimeKit;

namespace Xuhui.Crm.Web.Features.Outbox;

/// <summary>Where composed messages go: an SMTP server, or .eml files when none is configured.</summary>
public interface IMailTransport
{
    string Describe { get; }

    /// <summary>Opens one connection for a batch.</summary>
    Task<IMailSession> OpenAsync(CancellationToken ct);
}

public interface IMailSession : IAsyncDisposable
{
    /// <summary>Returns once the receiver accepted the message (SMTP: the 250 after DATA).</summary>
    Task SendAsync(MimeMessage message, long outboxId, CancellationToken ct);
}

/// <summary>A failure that says nothing about the message: connection, TLS, authentication. Never fails a message for good.</summary>
public sealed class MailConnectionException(string message, Exception inner) : Exception(message, inner);
