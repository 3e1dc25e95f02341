using Microsoft.Extensions.DependencyInjection;
using MimeKit;
using Xuhui.Crm.Web.Features.Outbox;
using Xuhui.Crm.Web.Tests.Infrastructure;

namespace Xuhui.Crm.Web.Tests.Reminders;

/// <summary>Outbox rows written straight into the table, without composing digests: for the crash test and the SMTP benchmark.</summary>
public static class OutboxSeed
{
    public const string Kind = "seeded-test";

    /// <summary>Queues <paramref name="count"/> messages numbered 1…count, each padded to about <paramref name="bodyBytes"/> of Chinese text.</summary>
    public static async Task<int> QueueAsync(CrmFactory host, int count, int bodyBytes, DateOnly on)
    {
        var line = "徐汇区企业服务每日提醒：跟进研发费用归集材料，确认高新技术企业申报意向。\n";
        var body = string.Concat(Enumerable.Repeat(line, Math.Max(1, bodyBytes / System.Text.Encoding.UTF8.GetByteCount(line))));
        var drafts = new List<OutboxDraft>();
        for (var n = 1; n <= count; n++)
        {
            var message = new MimeMessage();
            message.From.Add(MailboxAddress.Parse("徐汇区企业服务平台 <crm@localhost>"));
            message.To.Add(new MailboxAddress($"专员{n:D3}", $"officer{n}@xuhui.example"));
            message.Subject = $"【测试】第 {n} 封";
            message.Body = new TextPart("plain") { Text = $"第 {n} 封\n{body}" };
            drafts.Add(new OutboxDraft(message, $"officer{n}@xuhui.example", null, Kind, $"n:{n}", on));
        }

        return await host.WithScopeAsync(sp => sp.GetRequiredService<OutboxWriter>().EnqueueAsync(drafts, CancellationToken.None));
    }
}
