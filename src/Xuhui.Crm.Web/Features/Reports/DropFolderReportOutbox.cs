using Xuhui.Crm.Web.Infrastructure;

namespace Xuhui.Crm.Web.Features.Reports;

/// <summary>
/// Stand-in until the reminders' outbox is merged: writes each message as an .eml file under data/outbox-pending/,
/// one file per month and recipient, so a re-fired job does not queue twice.
/// </summary>
public sealed class DropFolderReportOutbox(DataPaths paths) : IReportMailOutbox
{
    public async Task<int> QueueAsync(IReadOnlyList<ReportMail> mails, CancellationToken ct)
    {
        var folder = Path.Combine(paths.DataDirectory, "outbox-pending");
        Directory.CreateDirectory(folder);
        var count = 0;
        foreach (var mail in mails)
        {
            var safe = string.Concat(mail.Recipient.Select(c => char.IsLetterOrDigit(c) || c is '.' or '-' or '_' ? c : '_'));
            var file = Path.Combine(folder, $"{MonthlyReportEmail.Kind}-{mail.Month}-{safe}.eml");
            if (File.Exists(file))
            {
                continue;
            }

            await mail.Message.WriteToAsync(file, ct);
            count++;
        }

        return count;
    }
}
