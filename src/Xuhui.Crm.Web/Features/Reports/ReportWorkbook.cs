using MiniExcelLibs;
using MiniExcelLibs.Attributes;
using MiniExcelLibs.OpenXml;

namespace Xuhui.Crm.Web.Features.Reports;

/// <summary>The monthly report as an XLSX workbook: a sheet per section, Chinese headers, numbers and dates as typed cells.</summary>
public static class ReportWorkbook
{
    public const string OverviewSheet = "概览";
    public const string IndicatorSheet = "指标进度";
    public const string StageSheet = "阶段分布";
    public const string MovesSheet = "本月变动";
    public const string StalledSheet = "停滞案件";
    public const string DurationSheet = "阶段停留时长";
    public const string OfficerSheet = "走访-按专员";
    public const string ZoneSheet = "走访-按区域";
    public const string FollowUpSheet = "跟进事项";
    public const string WinsSheet = "本月成果";
    public const string LapsingSheet = "高企证书将到期";
    public const string ProjectionSheet = "转化率与预测";
    public const string RequestSheet = "企业诉求";
    public const string RequestOverdueSheet = "诉求逾期分布";

    private static readonly string[] DateColumns = ["日期", "阶段起始日", "到期日", "来源日期", "统计截止日"];
    private static readonly string[] IntegerColumns =
    [
        "案件数", "新增", "推进", "回退", "成功", "失败", "其他", "停留天数", "完成次数", "走访次数", "走访企业数",
        "按时完成", "逾期完成", "仍逾期", "在途案件", "结果数", "案件编号", "企业编号", "件数", "逾期件数",
    ];

    private static readonly string[] DecimalColumns = ["当前值", "2020基数", "2025目标", "年度目标", "完成进度(%)", "中位天数", "转化率", "预计成功", "数值"];

    public static byte[] Build(MonthlyReport r)
    {
        var t = r.Targets;
        var sheets = new Dictionary<string, object>
        {
            [OverviewSheet] = new List<Dictionary<string, object?>>
            {
                Row(("项目", "月份"), ("值", r.Month)),
                Row(("项目", "统计截止日"), ("值", (object)t.AsOf.ToDateTime(TimeOnly.MinValue))),
                Row(("项目", "数据来源"), ("值", r.Frozen ? $"月末快照 第{r.SnapshotRevision}版" : "实时计算")),
                Row(("项目", "持有有效证书的高企数"), ("值", t.HntePer10k.Firms)),
                Row(("项目", "企业法人数"), ("值", t.HntePer10k.LegalPersons?.Count)),
                Row(("项目", "企业法人数年份"), ("值", t.HntePer10k.LegalPersons?.Year)),
                Row(("项目", "每万户企业法人高企数"), ("值", t.HntePer10k.Per10k)),
                Row(("项目", "是否暂定（法人数未更新）"), ("值", t.HntePer10k.Provisional ? "是" : "否")),
                Row(("项目", "距目标尚需高企"), ("值", t.HntePer10k.FirmsNeeded)),
                Row(("项目", "年底前将到期的证书（未续）"), ("值", t.HntePer10k.LapsingBeforeYearEnd)),
                Row(("项目", "外资研发中心数"), ("值", t.ForeignRdCenters.Centres)),
                Row(("项目", "距目标尚需研发中心"), ("值", t.ForeignRdCenters.CentresNeeded)),
                Row(("项目", "停滞案件数"), ("值", r.StalledTotal)),
                Row(("项目", "走访次数"), ("值", r.Visits.Visits)),
            },
            [IndicatorSheet] = t.Indicators.Select(i => Row(
                ("指标代码", i.Code), ("指标", i.NameZh), ("单位", i.Unit), ("2020基数", i.Baseline2020), ("2025目标", i.Target2025),
                ("年度目标", i.YearTarget.Value), ("当前值", i.Value), ("期间", i.Period), ("来源", i.Source),
                ("来源日期", i.SourceDate?.ToDateTime(TimeOnly.MinValue)), ("完成进度(%)", i.ProgressPercent), ("暂定", i.Provisional ? "是" : "否"))).ToList(),
            [StageSheet] = r.Pipeline.SelectMany(p => p.StagesAtMonthEnd.Select(s => Row(
                ("项目", p.ProgramName), ("阶段", s.StageName), ("在库阶段", s.Open ? "是" : "否"), ("案件数", s.Cases)))).ToList(),
            [MovesSheet] = r.Pipeline.Select(p => Row(
                ("项目", p.ProgramName), ("新增", p.NewCases), ("推进", p.Advances), ("回退", p.Regressions), ("成功", p.Wins),
                ("失败", p.Losses), ("其他", p.OtherMoves))).ToList(),
            [StalledSheet] = r.Stalled.Select(s => Row(
                ("案件编号", s.CaseId), ("企业", s.FirmName), ("项目", s.ProgramName), ("阶段", s.StageName),
                ("阶段起始日", s.Since.ToDateTime(TimeOnly.MinValue)), ("停留天数", s.Days))).ToList(),
            [DurationSheet] = r.TimeInStage.Select(d => Row(
                ("项目", d.ProgramName), ("阶段", d.StageName), ("完成次数", d.Stays), ("中位天数", d.MedianDays))).ToList(),
            [OfficerSheet] = r.Visits.ByOfficer.Select(o => Row(("专员", o.Name), ("走访次数", o.Visits), ("走访企业数", o.Firms))).ToList(),
            [ZoneSheet] = r.Visits.ByZone.Select(z => Row(("区域", z.ZoneName), ("走访次数", z.Visits), ("走访企业数", z.Firms))).ToList(),
            [FollowUpSheet] = r.FollowUps.ByAssignee.Select(a => Row(
                    ("负责人", a.Name), ("按时完成", a.CompletedOnTime), ("逾期完成", a.CompletedLate), ("仍逾期", a.StillOverdue)))
                .Append(Row(("负责人", "合计"), ("按时完成", r.FollowUps.CompletedOnTime), ("逾期完成", r.FollowUps.CompletedLate), ("仍逾期", r.FollowUps.StillOverdue)))
                .ToList(),
            [WinsSheet] = r.Wins.Select(w => Row(
                ("日期", w.On.ToDateTime(TimeOnly.MinValue)), ("企业", w.FirmName), ("项目", w.ProgramName), ("阶段", w.StageName), ("说明", w.Detail))).ToList(),
            [LapsingSheet] = t.HntePer10k.Lapsing.Select(l => Row(
                ("企业编号", l.FirmId), ("企业", l.FirmName), ("证书编号", l.CertificateNumber), ("到期日", l.ExpiresOn.ToDateTime(TimeOnly.MinValue)),
                ("续期案件阶段", l.RenewalStage))).ToList(),
            [ProjectionSheet] = t.HntePer10k.Projection.Stages.Concat(t.ForeignRdCenters.Projection.Stages).Select(s => Row(
                ("项目", s.Program), ("阶段", s.StageName), ("在途案件", s.OpenCases), ("成功", s.Wins), ("失败", s.Losses), ("结果数", s.Outcomes),
                ("转化率", s.Rate), ("预计成功", s.ExpectedWins), ("状态", s.Status == "ok" ? "正常" : "样本不足"))).ToList(),
            [RequestSheet] = RequestRows(r.Requests),
            [RequestOverdueSheet] = r.Requests is not { } q ? new List<Dictionary<string, object?>>() :
                q.OverdueByDepartment.Select(g => Row(("分类", "按责任部门"), ("名称", g.Name), ("逾期件数", g.Count)))
                    .Concat(q.OverdueByCategory.Select(g => Row(("分类", "按诉求类别"), ("名称", g.Name), ("逾期件数", g.Count))))
                    .ToList(),
        };

        // Empty sections keep their header row.
        foreach (var key in sheets.Keys.ToList())
        {
            if (sheets[key] is List<Dictionary<string, object?>> { Count: 0 })
            {
                sheets[key] = EmptySheet(key);
            }
        }

        var config = new OpenXmlConfiguration
        {
            TableStyles = TableStyles.Default,
            DynamicColumns =
            [
                .. DateColumns.Select(c => new DynamicExcelColumn(c) { Format = "yyyy-MM-dd", Width = 12 }),
                .. IntegerColumns.Select(c => new DynamicExcelColumn(c) { Format = "#,##0", Width = 10 }),
                .. DecimalColumns.Select(c => new DynamicExcelColumn(c) { Format = "#,##0.00", Width = 12 }),
                new DynamicExcelColumn("企业") { Width = 36 },
                new DynamicExcelColumn("指标") { Width = 30 },
                new DynamicExcelColumn("来源") { Width = 40 },
                new DynamicExcelColumn("项目") { Width = 24 },
                new DynamicExcelColumn("名称") { Width = 24 },
            ],
        };
        using var stream = new MemoryStream();
        stream.SaveAs(sheets, configuration: config);
        return stream.ToArray();
    }

    /// <summary>Counts in 件数, rates (as %) and days in 数值, so each column keeps one number format.</summary>
    private static List<Dictionary<string, object?>> RequestRows(RequestSection? q)
    {
        if (q is null)
        {
            return [Row(("项目", "（该快照生成时尚无此节）"), ("件数", null), ("数值", null))];
        }

        static double? Percent(double? rate) => rate is { } v ? Math.Round(v * 100, 2) : null;
        Dictionary<string, object?> Count(string label, int n) => Row(("项目", label), ("件数", n), ("数值", null));
        Dictionary<string, object?> Value(string label, double? v) => Row(("项目", label), ("件数", null), ("数值", v));
        var cutOff = q.OverdueAsOf.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        return
        [
            Count("月初在办", q.OpenAtStart),
            Count("本月新提", q.Raised),
            Count("本月办结", q.Closed),
            Count("其中：已解决", q.Resolved),
            Count("其中：无法解决", q.CannotResolve),
            Value("办结率(%)", Percent(q.ClosureRate)),
            Value("办结用时中位数（自然日）", q.MedianDaysToClose),
            Count("月末在办", q.OpenAtEnd),
            Count($"逾期未办结（截至 {cutOff}）", q.Overdue),
            Count("满意", q.Satisfaction.Satisfied),
            Count("基本满意", q.Satisfaction.Basically),
            Count("不满意", q.Satisfaction.Dissatisfied),
            Count("未评价", q.Satisfaction.NotRecorded),
            Value("满意率(%)", Percent(q.Satisfaction.SatisfiedRate)),
        ];
    }

    private static Dictionary<string, object?> Row(params (string Header, object? Value)[] cells) =>
        cells.ToDictionary(c => c.Header, c => c.Value);

    private static List<Dictionary<string, object?>> EmptySheet(string sheet) => sheet switch
    {
        StalledSheet => [Row(("案件编号", null), ("企业", "（无）"), ("项目", null), ("阶段", null), ("阶段起始日", null), ("停留天数", null))],
        DurationSheet => [Row(("项目", "（无）"), ("阶段", null), ("完成次数", null), ("中位天数", null))],
        OfficerSheet => [Row(("专员", "（无）"), ("走访次数", null), ("走访企业数", null))],
        ZoneSheet => [Row(("区域", "（无）"), ("走访次数", null), ("走访企业数", null))],
        WinsSheet => [Row(("日期", null), ("企业", "（无）"), ("项目", null), ("阶段", null), ("说明", null))],
        LapsingSheet => [Row(("企业编号", null), ("企业", "（无）"), ("证书编号", null), ("到期日", null), ("续期案件阶段", null))],
        RequestOverdueSheet => [Row(("分类", null), ("名称", "（无）"), ("逾期件数", null))],
        _ => [Row(("说明", "（无）"))],
    };
}
