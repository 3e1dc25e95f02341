using Xuhui.Crm.Web.Shared.Localisation;

namespace Xuhui.Crm.Web.Features.Outbox;

public enum SmtpSecurity
{
    None,
    StartTls,
    SslOnConnect,
}

/// <summary>Settings under "Crm:Smtp". With no <see cref="Host"/> messages are written as .eml files under the data directory.</summary>
public sealed class SmtpOptions
{
    public const string Section = "Crm:Smtp";

    public string? Host { get; set; }
    public int Port { get; set; } = 25;
    public SmtpSecurity Security { get; set; } = SmtpSecurity.StartTls;
    public string? UserName { get; set; }
    public string? Password { get; set; }
    public string From { get; set; } = "徐汇区企业服务平台 <crm@localhost>";

    /// <summary>Each SMTP call (connect, auth, send, quit) is cancelled after this long.</summary>
    public int TimeoutSeconds { get; set; } = 60;

    /// <summary>A message still failing transiently after this many attempts is marked failed (unless <see cref="RetryBudgetHours"/> is set).</summary>
    public int MaxAttempts { get; set; } = 30;

    /// <summary>
    /// The retry budget as time instead of a count: when set, a message keeps being retried (on the backoff) until it
    /// has waited this many hours since it was queued, however many attempts that takes — so an SMTP outage shorter
    /// than the budget ends with everything delivered and nothing "failed".
    /// </summary>
    public double? RetryBudgetHours { get; set; }

    /// <summary>Whether a message that has had <paramref name="attempts"/> attempts and still fails transiently is given up.</summary>
    public bool GivesUp(int attempts, DateTime queuedAt, DateTime now) => RetryBudgetHours is { } hours
        ? now - queuedAt >= TimeSpan.FromHours(hours)
        : attempts >= MaxAttempts;

    public string DescribeBudget(int attempts) => RetryBudgetHours is { } hours
        ? Text.F("重试 {0:0.#} 小时（{1} 次尝试）", hours, attempts)
        : Text.F("{0} 次尝试", MaxAttempts);

    /// <summary>First retry delay; doubles per attempt up to <see cref="BackoffMaxSeconds"/>.</summary>
    public int BackoffBaseSeconds { get; set; } = 30;

    public int BackoffMaxSeconds { get; set; } = 900;

    /// <summary>Messages sent over one connection per dispatch round.</summary>
    public int BatchSize { get; set; } = 500;

    /// <summary>A round stops after this many transient failures in a row (the server is in trouble); the backoff takes it from there.</summary>
    public int MaxConsecutiveTransientFailures { get; set; } = 3;

    /// <summary>How often the outbox worker looks for due messages when nothing wakes it.</summary>
    public int PollSeconds { get; set; } = 60;

    /// <summary>Run the background outbox worker; off, only the digest job (and tests) dispatch.</summary>
    public bool BackgroundDispatch { get; set; } = true;

    public bool UsesFiles => string.IsNullOrWhiteSpace(Host);

    /// <summary>Overrides <see cref="SendingLease"/>, in seconds; keep it longer than any one send can take.</summary>
    public int? SendingLeaseSeconds { get; set; }

    /// <summary>
    /// With several instances (PostgreSQL), a message "sending" for longer than this was claimed by an instance that
    /// died, and is sent again. By default two SMTP timeouts (the send itself, and connecting before it) and a minute to spare.
    /// </summary>
    public TimeSpan SendingLease => TimeSpan.FromSeconds(SendingLeaseSeconds ?? ((2 * TimeoutSeconds) + 60));

    public TimeSpan Backoff(int attempts)
    {
        var exponent = Math.Clamp(attempts - 1, 0, 20);
        var seconds = Math.Min(BackoffBaseSeconds * Math.Pow(2, exponent), BackoffMaxSeconds);
        return TimeSpan.FromSeconds(seconds);
    }
}
