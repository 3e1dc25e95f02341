using System.Diagnostics;
using System.Net;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using MimeKit;
using Xuhui.Crm.Domain.Time;
using Xuhui.Crm.Web.Data;
using Xuhui.Crm.Web.Features.Search;
using Xuhui.Crm.Web.Features.Outbox;
using Xuhui.Crm.Web.Features.Calendar;

namespace Xuhui.Crm.Web.Features.Reminders;

public sealed record DigestResult(DateOnly Date, int Recipients, int Queued, int AlreadyQueued, int NoEmail, int Nothing, long ElapsedMs);

/// <summary>Composes the day's digest per officer into the outbox; sending is the dispatcher's business.</summary>
public sealed class DigestComposer(
    CrmDbContext db,
    ReminderEngine engine,
    WorkingDayCalendar calendar,
    OutboxWriter outbox,
    TimeProvider clock,
    IOptions<RemindersOptions> options,
    IOptions<SmtpOptions> smtp,
    Jobs.DistrictRuns? districts = null)
{
    public const string OutboxKind = "daily-digest";

    /// <summary>The day's digests: per district when there are several (each officer hears of their district only), then the city-wide users.</summary>
    public async Task<DigestResult> ComposeAsync(DateOnly date, CancellationToken ct)
    {
        if (districts is not { MultiDistrict: true })
        {
            return await ComposeScopeAsync(date, ct);
        }

        var watch = Stopwatch.StartNew();
        var runs = await districts.ForEachAsync(await districts.UserDistrictsAsync(ct), _ => ComposeScopeAsync(date, ct));
        return new DigestResult(
            date,
            runs.Sum(r => r.Result.Recipients),
            runs.Sum(r => r.Result.Queued),
            runs.Sum(r => r.Result.AlreadyQueued),
            runs.Sum(r => r.Result.NoEmail),
            runs.Sum(r => r.Result.Nothing),
            watch.ElapsedMilliseconds);
    }

    /// <summary>The digests of the recipients in the context's district scope.</summary>
    private async Task<DigestResult> ComposeScopeAsync(DateOnly date, CancellationToken ct)
    {
        var watch = Stopwatch.StartNew();
        var o = options.Value;
        var since = await calendar.PreviousWorkingDayAsync(date, ct);
        var window = new ReminderWindow(date, since, ShanghaiTime.ToUtc(since, o.DigestTimeOfDay), ShanghaiTime.ToUtc(date, o.DigestTimeOfDay), Digest: true);
        var recipients = await engine.RecipientsAsync(null, ct);
        var items = await engine.ComputeAsync(window, recipients, everyone: true, ct);
        var visits = await VisitsForInvitesAsync(items.Values.SelectMany(i => i), ct);

        int noEmail = 0, nothing = 0;
        var drafts = new List<OutboxDraft>();
        foreach (var r in recipients)
        {
            var mine = items[r.Id];
            if (mine.Count == 0)
            {
                nothing++;
                continue;
            }

            if (string.IsNullOrWhiteSpace(r.Email) || !r.EmailEnabled || !MailboxAddress.TryParse(r.Email, out _))
            {
                noEmail++;
                continue;
            }

            drafts.Add(new OutboxDraft(Compose(r, date, mine, visits), r.Email, r.Id, OutboxKind, "digest", date));
        }

        var queued = await outbox.EnqueueAsync(drafts, ct);
        return new DigestResult(date, recipients.Count, queued, drafts.Count - queued, noEmail, nothing, watch.ElapsedMilliseconds);
    }

    public MimeMessage Compose(ReminderRecipient r, DateOnly date, IReadOnlyList<ReminderItem> items, IReadOnlyDictionary<long, Ics.Event> visits)
    {
        var baseUrl = options.Value.BaseUrl.TrimEnd('/');
        var message = new MimeMessage();
        message.From.Add(MailboxAddress.Parse(smtp.Value.From));
        message.To.Add(new MailboxAddress(r.DisplayName, r.Email!));
        message.Subject = $"【徐汇区企业服务】{date.Year}年{date.Month}月{date.Day}日 每日提醒（{items.Count} 项）";
        message.Date = clock.GetUtcNow();

        var html = new StringBuilder();
        var text = new StringBuilder();
        html.Append("<!DOCTYPE html><html lang=\"zh-CN\"><head><meta charset=\"utf-8\"><title>每日提醒</title></head>")
            .Append("<body style=\"font-family:'PingFang SC','Microsoft YaHei',sans-serif;font-size:14px;color:#222\">")
            .Append("<p>").Append(E(r.DisplayName)).Append("，您好：</p><p>以下是 ").Append(date.ToString("yyyy-MM-dd")).Append(" 的工作提醒，共 ")
            .Append(items.Count).Append(" 项。</p>");
        text.Append(r.DisplayName).Append("，您好：\n\n以下是 ").Append(date.ToString("yyyy-MM-dd")).Append(" 的工作提醒，共 ").Append(items.Count).Append(" 项。\n");
        foreach (var (kind, heading) in ReminderKinds.All)
        {
            var section = items.Where(i => i.Kind == kind).ToList();
            if (section.Count == 0)
            {
                continue;
            }

            html.Append("<h3 style=\"margin:18px 0 6px\">").Append(E(heading)).Append('（').Append(section.Count).Append("）</h3><ul>");
            text.Append('\n').Append("■ ").Append(heading).Append('（').Append(section.Count).Append("）\n");
            foreach (var item in section.Take(options.Value.DigestMaxItemsPerSection))
            {
                var link = baseUrl + item.Link;
                html.Append("<li><a href=\"").Append(E(link)).Append("\">").Append(E(item.Title)).Append("</a> — ").Append(E(item.Detail)).Append("</li>");
                text.Append("  - ").Append(item.Title).Append(" — ").Append(item.Detail).Append("\n    ").Append(link).Append('\n');
            }

            var more = section.Count - options.Value.DigestMaxItemsPerSection;
            if (more > 0)
            {
                var all = baseUrl + Links.Reminders(kind);
                html.Append("<li><a href=\"").Append(E(all)).Append("\">另有 ").Append(more).Append(" 项，请在系统中查看</a></li>");
                text.Append("  … 另有 ").Append(more).Append(" 项，请在系统中查看：").Append(all).Append('\n');
            }

            html.Append("</ul>");
        }

        var settings = baseUrl + Links.Settings;
        html.Append("<p style=\"color:#888;font-size:12px\">本邮件由系统自动发送。可在 <a href=\"").Append(E(settings))
            .Append("\">提醒设置</a> 中调整接收的提醒类型、提前天数或关闭邮件。</p></body></html>");
        text.Append("\n——\n本邮件由系统自动发送。提醒设置：").Append(settings).Append('\n');

        var body = new BodyBuilder { HtmlBody = html.ToString(), TextBody = text.ToString() };
        foreach (var visit in items.Where(i => i.Kind == ReminderKinds.UpcomingVisit && i.VisitId is not null).DistinctBy(i => i.VisitId))
        {
            var visitId = visit.VisitId!.Value;
            if (visits.TryGetValue(visitId, out var e))
            {
                var ics = new ContentType("text", "calendar") { Charset = "utf-8" };
                ics.Parameters.Add("method", "PUBLISH");
                body.Attachments.Add($"visit-{visitId}.ics", Encoding.UTF8.GetBytes(Ics.Build(e with { Url = baseUrl + visit.Link })), ics);
            }
        }

        message.Body = body.ToMessageBody();
        return message;
    }

    private async Task<Dictionary<long, Ics.Event>> VisitsForInvitesAsync(IEnumerable<ReminderItem> items, CancellationToken ct)
    {
        var ids = items.Where(i => i.Kind == ReminderKinds.UpcomingVisit && i.VisitId is not null).Select(i => i.VisitId!.Value).Distinct().ToList();
        var now = clock.GetUtcNow().UtcDateTime;
        var visits = await db.Visits.AsNoTracking().Where(v => ids.Contains(v.Id))
            .Select(v => new { v.Id, v.On, v.StartsAt, v.DurationMinutes, v.Location, v.Summary, v.Kind, FirmName = db.Firms.Where(f => f.Id == v.FirmId).Select(f => f.Name).FirstOrDefault() })
            .ToListAsync(ct);
        return visits.ToDictionary(v => v.Id, v => new Ics.Event(
            $"visit-{v.Id}@xuhui-crm.local", now, v.StartsAt, v.DurationMinutes, v.On,
            $"{ReminderEngine.KindName(v.Kind)}：{v.FirmName}", v.Location, v.Summary, null));
    }

    private static string E(string s) => WebUtility.HtmlEncode(s);
}
