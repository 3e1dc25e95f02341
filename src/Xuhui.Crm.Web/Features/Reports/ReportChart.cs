using System.Globalization;
using Microsoft.Extensions.Options;
using ScottPlot;
using Xuhui.Crm.Web.Features.Targets;

namespace Xuhui.Crm.Web.Features.Reports;

/// <summary>
/// The indicator-progress chart as PNG (mail clients drop SVG), drawn with the shipped OFL font so Chinese labels never
/// fall back to boxes. <see cref="Texts"/> lists every string drawn, so a test can check each character has a glyph.
/// </summary>
public sealed class ReportChart
{
    public const string FontName = "Noto Sans SC GB2312";
    private static readonly Lock FontLock = new();
    private static bool _fontAdded;

    public ReportChart(IOptions<ReportsOptions> options)
    {
        FontPath = Path.IsPathRooted(options.Value.FontFile) ? options.Value.FontFile : Path.Combine(AppContext.BaseDirectory, options.Value.FontFile);
        lock (FontLock)
        {
            if (!_fontAdded)
            {
                Fonts.AddFontFile(FontName, FontPath);
                _fontAdded = true;
            }
        }
    }

    public string FontPath { get; }

    public static string Title(MonthlyReport report) => $"{Month(report)} 规划指标完成进度（当前值 ÷ 年度目标，%）";

    /// <summary>The bars, top to bottom: label and progress percent (null when no value or target).</summary>
    public static List<(string Label, double? Percent)> Bars(MonthlyReport report) =>
        report.Targets.Indicators.Select(i => (i.NameZh, i.ProgressPercent)).ToList();

    /// <summary>Every string the chart draws.</summary>
    public static IEnumerable<string> Texts(MonthlyReport report)
    {
        yield return Title(report);
        yield return "完成进度（%）";
        yield return "目标 100%";
        yield return "无数据";
        foreach (var (label, percent) in Bars(report))
        {
            yield return label;
            yield return BarLabel(percent);
        }

        foreach (var tick in new[] { 0, 20, 40, 60, 80, 100, 120, 140, 160 })
        {
            yield return tick.ToString(CultureInfo.InvariantCulture);
        }
    }

    public byte[] RenderPng(MonthlyReport report, int width = 1000, int height = 620)
    {
        var bars = Bars(report);
        var plot = new Plot();
        plot.Font.Set(FontName);
        var n = bars.Count;
        var list = new List<Bar>();
        for (var i = 0; i < n; i++)
        {
            var (_, percent) = bars[i];
            var value = Math.Min(percent ?? 0, 160);
            list.Add(new Bar
            {
                Position = n - 1 - i,
                Value = value,
                FillColor = percent is null ? Colors.LightGray : percent >= 100 ? Color.FromHex("#2E7D32") : Color.FromHex("#1565C0"),
                Label = BarLabel(percent),
                Orientation = Orientation.Horizontal,
            });
        }

        var barPlot = plot.Add.Bars(list);
        barPlot.Horizontal = true;
        barPlot.ValueLabelStyle.FontName = FontName;
        barPlot.ValueLabelStyle.FontSize = 13;

        plot.Add.VerticalLine(100, 2, Colors.DarkRed, LinePattern.Dashed);
        var targetLabel = plot.Add.Text("目标 100%", 101, n - 0.45);
        targetLabel.LabelFontName = FontName;
        targetLabel.LabelFontSize = 13;
        targetLabel.LabelFontColor = Colors.DarkRed;

        var ticks = bars.Select((b, i) => new Tick(n - 1 - i, b.Label)).ToArray();
        plot.Axes.Left.TickGenerator = new ScottPlot.TickGenerators.NumericManual(ticks);
        plot.Axes.Left.TickLabelStyle.FontName = FontName;
        plot.Axes.Left.TickLabelStyle.FontSize = 14;
        plot.Axes.Bottom.TickLabelStyle.FontName = FontName;
        plot.Axes.Bottom.Label.Text = "完成进度（%）";
        plot.Axes.Bottom.Label.FontName = FontName;
        plot.Axes.SetLimitsX(0, 175);
        plot.Axes.SetLimitsY(-0.7, n - 0.3);
        plot.Title(Title(report));
        plot.Axes.Title.Label.FontName = FontName;
        plot.Axes.Title.Label.FontSize = 18;
        plot.Grid.MajorLineColor = Colors.Black.WithAlpha(.1);
        return plot.GetImageBytes(width, height, ImageFormat.Png);
    }

    private static string BarLabel(double? percent) =>
        percent is { } p ? p.ToString("0.0", CultureInfo.InvariantCulture) + "%" : "无数据";

    private static string Month(MonthlyReport report) =>
        $"{report.From.Year}年{report.From.Month}月";
}
