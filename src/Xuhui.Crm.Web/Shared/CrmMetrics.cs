using System.Diagnostics.Metrics;

namespace Xuhui.Crm.Web.Shared;

/// <summary>
/// The application's own instruments, recorded by several features (jobs, outbox, health); request durations come from
/// the ASP.NET Core instrumentation. Operations exposes them (<c>Crm:Metrics:Enabled</c>).
/// </summary>
public static class CrmMetrics
{
    public const string MeterName = "Xuhui.Crm";

    private static readonly Meter Meter = new(MeterName);

    public static readonly Histogram<double> JobDuration = Meter.CreateHistogram<double>("crm.job.duration", "s", "Duration of scheduled job runs");
    private static long _outboxPending;
    private static long _outboxFailed;

    /// <summary>Outbox depth as last counted (by readiness checks and dispatch rounds).</summary>
    public static void SetOutbox(long pending, long failed)
    {
        Interlocked.Exchange(ref _outboxPending, pending);
        Interlocked.Exchange(ref _outboxFailed, failed);
    }

    public static readonly ObservableGauge<long> OutboxPending = Meter.CreateObservableGauge("crm.outbox.pending", () => Interlocked.Read(ref _outboxPending), description: "Messages waiting to be sent");
    public static readonly ObservableGauge<long> OutboxFailed = Meter.CreateObservableGauge("crm.outbox.failed", () => Interlocked.Read(ref _outboxFailed), description: "Messages that failed for good");

    public static readonly Counter<long> RemindersSent = Meter.CreateCounter<long>("crm.reminders.sent", description: "Reminder and report emails handed to the mail server");

    public static Meter Instance => Meter;
}
