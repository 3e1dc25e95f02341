using System.Net.Http.Json;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using MimeKit;
using SkiaSharp;
using Xuhui.Crm.Web.Features.Reports;
using Xuhui.Crm.Web.Tests.Infrastructure;

namespace Xuhui.Crm.Web.Tests.Targets;

public sealed class ChartAndEmailTests(OctoberHost host) : IClassFixture<OctoberHost>
{
    private async Task<MonthlyReport> ReportAsync()
    {
        var admin = await host.AdminAsync();
        return (await admin.GetFromJsonAsync<MonthlyReport>($"/api/reports/monthly/{OctoberScenario.Month}", ApiJson.Options))!;
    }

    [Fact]
    public async Task The_chart_is_a_png_and_every_character_it_draws_has_a_glyph_in_the_shipped_font()
    {
        var report = await ReportAsync();
        var chart = host.Services.GetRequiredService<ReportChart>();
        using var typeface = SKTypeface.FromFile(chart.FontPath);
        Assert.NotNull(typeface);

        var drawn = ReportChart.Texts(report).SelectMany(t => t.EnumerateRunes()).Where(r => !Rune.IsWhiteSpace(r)).Distinct().ToList();
        var missing = drawn.Where(r => typeface.GetGlyph(r.Value) == 0).Select(r => r.ToString()).ToList();
        Assert.Empty(missing);
        Assert.Contains(drawn, r => r.Value == '高');

        var admin = await host.AdminAsync();
        var png = await admin.GetByteArrayAsync($"/api/reports/monthly/{OctoberScenario.Month}/chart.png");
        Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G'], png.Take(4));
        using var bitmap = SKBitmap.Decode(png);
        Assert.Equal((1000, 620), (bitmap.Width, bitmap.Height));
        await File.WriteAllBytesAsync(Path.Combine(Path.GetTempPath(), "xuhui-targets-chart-2026-10.png"), png);
    }

    [Fact]
    public void The_shipped_font_covers_every_gb2312_character()
    {
        Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
        var gbk = Encoding.GetEncoding(936, EncoderFallback.ExceptionFallback, DecoderFallback.ExceptionFallback);
        var chart = host.Services.GetRequiredService<ReportChart>();
        using var typeface = SKTypeface.FromFile(chart.FontPath);
        var missing = new List<string>();
        var count = 0;

        // GB2312: rows 0xA1–0xA9 (symbols) and 0xB0–0xF7 (hanzi), cells 0xA1–0xFE; GBK maps the unassigned cells to the
        // private use area, which GB2312 does not define.
        foreach (var hi in Enumerable.Range(0xA1, 9).Concat(Enumerable.Range(0xB0, 0xF7 - 0xB0 + 1)))
        {
            for (var lo = 0xA1; lo <= 0xFE; lo++)
            {
                string text;
                try
                {
                    text = gbk.GetString([(byte)hi, (byte)lo]);
                }
                catch (DecoderFallbackException)
                {
                    continue;
                }

                var rune = text.EnumerateRunes().First();
                if (rune.Value is >= 0xE000 and <= 0xF8FF || (hi >= 0xB0 && Rune.GetUnicodeCategory(rune) == System.Globalization.UnicodeCategory.PrivateUse))
                {
                    continue;
                }

                count++;
                if (typeface.GetGlyph(rune.Value) == 0)
                {
                    missing.Add($"{hi:X2}{lo:X2}:{text}(U+{rune.Value:X4})");
                }
            }
        }

        Assert.True(count > 7400, $"only {count} GB2312 characters decoded");
        Assert.Empty(missing);
    }

    [Fact]
    public async Task The_monthly_email_has_chinese_html_and_text_the_chart_inline_and_the_workbook_attached()
    {
        var report = await ReportAsync();
        var mails = await host.WithDbAsync((_, sp) => Task.FromResult(sp.GetRequiredService<MonthlyReportEmail>().Compose(report)));
        Assert.Equal(["leader@xuhui.local", "deputy@xuhui.local"], mails.Select(m => m.Recipient));

        var message = mails[0].Message;
        Assert.Equal("徐汇区科技企业培育月报（2026年10月）", message.Subject);
        var html = message.HtmlBody;
        Assert.Contains("每万户企业法人中高新技术企业数：1.00", html, StringComparison.Ordinal);
        Assert.Contains("上海乙烯新材料有限公司", html, StringComparison.Ordinal);
        Assert.Contains("暂定：沿用 2025 年法人数", message.TextBody, StringComparison.Ordinal);

        var image = message.BodyParts.OfType<MimePart>().Single(p => p.ContentType.MimeType == "image/png");
        Assert.Contains($"cid:{image.ContentId}", html, StringComparison.Ordinal);
        var attachment = Assert.Single(message.Attachments.OfType<MimePart>());
        Assert.Equal(("徐汇区科技企业培育月报-2026-10.xlsx", MonthlyReportEmail.XlsxContentType), (attachment.FileName, attachment.ContentType.MimeType));
    }
}
