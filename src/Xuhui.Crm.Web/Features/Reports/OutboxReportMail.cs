using Xuhui.Crm.Web.Features.Outbox;

namespace Xuhui.Crm.Web.Features.Reports;

/// <summary>
/// Hands the monthly report to the outbox: kind "monthly-report", subject key the month, occurrence the month's first day,
/// so a re-fired job (or a manual run) never queues the same month twice for a recipient.
/// </summary>
public sealed class OutboxReportMail(OutboxWriter writer) : IReportMailOutbox
{
    public Task<int> QueueAsync(IReadOnlyList<ReportMail> mails, CancellationToken ct) =>
        writer.EnqueueAsync(
            mails.Select(m => new OutboxDraft(m.Message, m.Recipient, null, MonthlyReportEmail.Kind, m.Month.ToString(), m.Month.First)).ToList(),
            ct);
}
