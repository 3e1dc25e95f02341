namespace Xuhui.Crm.Web.Features.Outbox;

public enum OutboxStatus
{
    Pending,
    Sending,
    Sent,
    Failed,
}

/// <summary>
/// One composed message waiting for, or past, delivery. The MIME text is stored whole, so sending needs nothing
/// but this row; (Recipient, Kind, SubjectKey, OccurredOn) is unique, so composing twice queues once.
/// </summary>
public sealed class OutboxMessage
{
    public long Id { get; set; }

    /// <summary>Lower-cased address.</summary>
    public string Recipient { get; set; } = string.Empty;

    public long? RecipientUserId { get; set; }

    /// <summary>e.g. "daily-digest".</summary>
    public string Kind { get; set; } = string.Empty;

    /// <summary>What the message is about, within its kind (e.g. "digest", "case:12").</summary>
    public string SubjectKey { get; set; } = string.Empty;

    /// <summary>The business date of the occurrence (Shanghai).</summary>
    public DateOnly OccurredOn { get; set; }

    public string Subject { get; set; } = string.Empty;

    /// <summary>The Message-Id header, derived from the unique key, so a rare duplicate can be recognised by mail clients.</summary>
    public string MessageId { get; set; } = string.Empty;

    public byte[] Mime { get; set; } = [];

    public OutboxStatus Status { get; set; } = OutboxStatus.Pending;
    public int Attempts { get; set; }
    public string? LastError { get; set; }

    /// <summary>
    /// Times the dispatcher found this message in "sending" after a crash: the process died between marking it and
    /// recording the server's answer, so it may have been delivered already and is sent again.
    /// </summary>
    public int InterruptedSends { get; set; }

    public DateTime CreatedAt { get; set; }
    public DateTime NextAttemptAt { get; set; }
    public DateTime? LastAttemptAt { get; set; }
    public DateTime? SentAt { get; set; }
}
