using System.Globalization;
using System.Net;
using System.Text;
using Microsoft.Extensions.Options;
using MimeKit;
using MimeKit.Utils;
using Xuhui.Crm.Domain.Targets;
using Xuhui.Crm.Web.Features.Outbox;
using Xuhui.Crm.Web.Features.Targets;

namespace Xuhui.Crm.Web.Features.Reports;

/// <summary>One composed monthly-report message for one recipient.</summary>
public sealed record ReportMail(MimeMessage Message, string Recipient, ReportMonth Month);

/// <summary>Where composed report mail goes: the outbox (<see cref="OutboxReportMail"/>); an interface so tests can capture.</summary>
public interface IReportMailOutbox
{
    /// <summary>Queues the messages not queued before; returns how many were new.</summary>
    Task<int> QueueAsync(IReadOnlyList<ReportMail> mails, CancellationToken ct);
}

/// <summary>Composes the monthly email: Chinese HTML and text, the chart inline (cid), the workbook attached.</summary>
public sealed class MonthlyReportEmail(
    MonthlySnapshots snapshots, ReportChart chart, IReportMailOutbox outbox, IOptions<ReportsOptions> options, IOptions<SmtpOptions> smtp)
{
    public const string Kind = "monthly-report";
    public const string XlsxContentType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

    /// <summary>The job's call: freezes the month if the month-end job has not, composes and queues one message per recipient.</summary>
    public async Task<int> QueueAsync(ReportMonth month, CancellationToken ct)
    {
        if (options.Value.Recipients.Count == 0 && options.Value.DistrictRecipients.Count == 0)
        {
            return 0;
        }

        await snapshots.TakeIfMissingAsync(month, ct);
        var report = await snapshots.ReportAsync(month, ct);
        return await outbox.QueueAsync(Compose(report), ct);
    }

    public List<ReportMail> Compose(MonthlyReport report)
    {
        var month = ReportMonth.TryParse(report.Month, out var m) ? m : throw new InvalidDataException($"Bad month {report.Month}");
        var recipients = RecipientsFor(report);
        if (recipients.Count == 0)
        {
            return [];
        }

        var png = chart.RenderPng(report);
        var xlsx = ReportWorkbook.Build(report);
        return recipients
            .Where(r => !string.IsNullOrWhiteSpace(r))
            .Select(r => r.Trim())
            .Distinct(StringComparer.OrdinalIgnoreCase)
            .Select(r => new ReportMail(Message(report, r, png, xlsx), r, month))
            .ToList();
    }

    /// <summary>One district: the leadership list. Several: the city's report to it, each district's to its own list.</summary>
    private List<string> RecipientsFor(MonthlyReport report) =>
        report.Targets.District is { } code && code != Domain.Districts.DistrictCodes.City
            ? options.Value.DistrictRecipients.GetValueOrDefault(code) ?? []
            : options.Value.Recipients;

    public static string Subject(MonthlyReport r) => $"{Who(r)}科技企业培育月报（{r.From.Year}年{r.From.Month}月）";

    public static string AttachmentName(MonthlyReport r) => $"{Who(r)}科技企业培育月报-{r.Month}.xlsx";

    /// <summary>The district reported on (徐汇区 in a single-district deployment, as before; 上海市 for the city).</summary>
    private static string Who(MonthlyReport r) => r.Targets.DistrictName ?? "徐汇区";

    private MimeMessage Message(MonthlyReport report, string recipient, byte[] png, byte[] xlsx)
    {
        var message = new MimeMessage();
        message.From.Add(MailboxAddress.Parse(smtp.Value.From));
        message.To.Add(MailboxAddress.Parse(recipient));
        message.Subject = Subject(report);

        var body = new BodyBuilder();
        var image = body.LinkedResources.Add("indicators.png", png, new ContentType("image", "png"));
        image.ContentId = MimeUtils.GenerateMessageId();
        body.HtmlBody = Html(report, image.ContentId);
        body.TextBody = Text(report);
        body.Attachments.Add(AttachmentName(report), xlsx, ContentType.Parse(XlsxContentType));
        message.Body = body.ToMessageBody();
        return message;
    }

    private static string Figures(MonthlyReport r, Func<string, string> encode, string lineBreak)
    {
        var h = r.Targets.HntePer10k;
        var rd = r.Targets.ForeignRdCenters;
        var per10k = h.Per10k?.ToString("0.00", CultureInfo.InvariantCulture) ?? "—";
        var lines = new List<string>
        {
            $"每万户企业法人中高新技术企业数：{per10k}（{h.Firms} 家 ÷ {h.LegalPersons?.Count.ToString(CultureInfo.InvariantCulture) ?? "—"} 户 × 10,000；目标 {h.Target.Value?.ToString("0.##", CultureInfo.InvariantCulture) ?? "—"}）"
                + (h.Provisional ? $"，暂定：沿用 {h.LegalPersons?.Year.ToString(CultureInfo.InvariantCulture) ?? "—"} 年法人数" : string.Empty),
            $"距目标尚需高企：{h.FirmsNeeded?.ToString(CultureInfo.InvariantCulture) ?? "—"} 家；年底前将到期且未续的证书：{h.LapsingBeforeYearEnd} 张",
            $"外资研发中心：{rd.Centres} 家（目标 {rd.Target.Value?.ToString("0", CultureInfo.InvariantCulture) ?? "—"}，尚需 {rd.CentresNeeded?.ToString(CultureInfo.InvariantCulture) ?? "—"}）",
            $"本月走访 {r.Visits.Visits} 次，覆盖企业 {r.Visits.FirmsVisited} 家；跟进事项按时完成 {r.FollowUps.CompletedOnTime}、逾期完成 {r.FollowUps.CompletedLate}、仍逾期 {r.FollowUps.StillOverdue}",
            $"停滞超过 {r.StalledDays} 天的案件：{r.StalledTotal} 件",
        };
        if (r.Requests is { } q)
        {
            static string Percent(double? rate) => rate is { } v ? (v * 100).ToString("0.0", CultureInfo.InvariantCulture) + "%" : "—";
            lines.Add($"企业诉求：本月新提 {q.Raised} 件，办结 {q.Closed} 件（已解决 {q.Resolved}、无法解决 {q.CannotResolve}），办结率 {Percent(q.ClosureRate)}，"
                + $"办结用时中位数 {q.MedianDaysToClose?.ToString("0.#", CultureInfo.InvariantCulture) ?? "—"} 天；月末逾期未办结 {q.Overdue} 件；"
                + $"满意 {q.Satisfaction.Satisfied}、基本满意 {q.Satisfaction.Basically}、不满意 {q.Satisfaction.Dissatisfied}");
        }

        return string.Join(lineBreak, lines.Select(encode));
    }

    private static string Html(MonthlyReport r, string cid)
    {
        static string E(string s) => WebUtility.HtmlEncode(s);
        var sb = new StringBuilder();
        sb.Append("<!DOCTYPE html><html lang=\"zh-CN\"><head><meta charset=\"utf-8\"></head><body style=\"font-family:'Microsoft YaHei','PingFang SC',sans-serif\">");
        sb.Append("<h2>").Append(E(Subject(r))).Append("</h2>");
        sb.Append("<p>").Append(Figures(r, E, "<br>")).Append("</p>");
        sb.Append("<p><img src=\"cid:").Append(cid).Append("\" alt=\"规划指标完成进度\" width=\"800\"></p>");
        sb.Append("<h3>各项目本月变动</h3><table border=\"1\" cellpadding=\"4\" cellspacing=\"0\"><tr><th>项目</th><th>新增</th><th>推进</th><th>回退</th><th>成功</th><th>失败</th></tr>");
        foreach (var p in r.Pipeline)
        {
            sb.Append(CultureInfo.InvariantCulture, $"<tr><td>{E(p.ProgramName)}</td><td>{p.NewCases}</td><td>{p.Advances}</td><td>{p.Regressions}</td><td>{p.Wins}</td><td>{p.Losses}</td></tr>");
        }

        sb.Append("</table>");
        if (r.Wins.Count > 0)
        {
            sb.Append("<h3>本月成果</h3><ul>");
            foreach (var w in r.Wins)
            {
                sb.Append("<li>").Append(E($"{w.On:yyyy-MM-dd} {w.FirmName}：{w.ProgramName}「{w.StageName}」{(w.Detail is null ? string.Empty : "，" + w.Detail)}")).Append("</li>");
            }

            sb.Append("</ul>");
        }

        sb.Append("<p>完整数据见附件工作簿（每节一张工作表）。").Append(r.Frozen ? E($"数据取自月末快照第 {r.SnapshotRevision} 版。") : "数据为实时计算。").Append("</p>");
        sb.Append("</body></html>");
        return sb.ToString();
    }

    private static string Text(MonthlyReport r)
    {
        var sb = new StringBuilder();
        sb.AppendLine(Subject(r)).AppendLine();
        sb.AppendLine(Figures(r, s => s, Environment.NewLine)).AppendLine();
        sb.AppendLine("各项目本月变动（新增/推进/回退/成功/失败）：");
        foreach (var p in r.Pipeline)
        {
            sb.AppendLine(CultureInfo.InvariantCulture, $"  {p.ProgramName}：{p.NewCases}/{p.Advances}/{p.Regressions}/{p.Wins}/{p.Losses}");
        }

        if (r.Wins.Count > 0)
        {
            sb.AppendLine().AppendLine("本月成果：");
            foreach (var w in r.Wins)
            {
                sb.AppendLine(CultureInfo.InvariantCulture, $"  {w.On:yyyy-MM-dd} {w.FirmName}：{w.ProgramName}「{w.StageName}」{(w.Detail is null ? string.Empty : "，" + w.Detail)}");
            }
        }

        sb.AppendLine().AppendLine("指标进度图见 HTML 版本；完整数据见附件工作簿。");
        return sb.ToString();
    }
}
