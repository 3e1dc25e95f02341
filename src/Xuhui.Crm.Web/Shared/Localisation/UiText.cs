using System.Globalization;
using Xuhui.Crm.Domain.Programs;

namespace Xuhui.Crm.Web.Shared.Localisation;

/// <summary>
/// The pages are written in Chinese; the key is the Chinese text and <see cref="English"/> holds its translation.
/// The request culture (zh-CN by default, English by the switch) picks the language.
/// </summary>
public sealed class UiText
{
    public static bool IsEnglish => CultureInfo.CurrentUICulture.TwoLetterISOLanguageName == "en";

    public string Lang => IsEnglish ? "en" : "zh-CN";

    public string this[string zh] => IsEnglish && English.Words.TryGetValue(zh, out var en) ? en : zh;

    public string Format(string zh, params object?[] args) => string.Format(CultureInfo.CurrentCulture, this[zh], args);

    /// <summary>2026年11月26日 in Chinese, 26 Nov 2026 in English.</summary>
    public string Date(DateOnly? date) => date is not { } d
        ? "—"
        : IsEnglish ? d.ToString("d MMM yyyy", CultureInfo.InvariantCulture) : $"{d.Year}年{d.Month}月{d.Day}日";

    public string Date(DateTime? utc) => utc is { } t ? Date(Domain.Time.ShanghaiTime.ToDate(t)) : "—";

    /// <summary>A UTC instant as Shanghai wall-clock date and time: 2026-03-09 08:30.</summary>
    public string Time(DateTime? utc) => utc is { } t
        ? TimeZoneInfo.ConvertTimeFromUtc(DateTime.SpecifyKind(t, DateTimeKind.Utc), Domain.Time.ShanghaiTime.Zone).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture)
        : "—";

    public string Time(DateTimeOffset? instant) => Time(instant?.UtcDateTime);

    public string Name(string zh, string? en) => IsEnglish && !string.IsNullOrEmpty(en) ? en : zh;

    public string Program(ProgramDefinition? p, string code) => p is null ? code : Name(p.NameZh, p.NameEn);

    public string Stage(ProgramDefinition? p, string? code) =>
        code is null ? "—" : p?.FindStage(code) is { } s ? Name(s.NameZh, s.NameEn) : code;
}

/// <summary>Chinese names of enum values shown on pages (English through <see cref="UiText"/>).</summary>
public static class EnumText
{
    private static readonly Dictionary<string, string> Names = new(StringComparer.Ordinal)
    {
        ["FirmStatus.Active"] = "在营", ["FirmStatus.MovedIn"] = "迁入", ["FirmStatus.MovedOut"] = "迁出", ["FirmStatus.Deregistered"] = "注销",
        ["FirmTier.Key"] = "重点", ["FirmTier.Regular"] = "一般",
        ["Ownership.DomesticPrivate"] = "内资民营", ["Ownership.StateOwned"] = "国有", ["Ownership.ForeignInvested"] = "外资", ["Ownership.HongKongMacaoTaiwan"] = "港澳台资",
        ["VisitKind.OnSite"] = "实地走访", ["VisitKind.Phone"] = "电话", ["VisitKind.Meeting"] = "会议", ["VisitKind.Event"] = "活动",
        ["VisitStatus.Planned"] = "计划", ["VisitStatus.Done"] = "已完成", ["VisitStatus.Cancelled"] = "已取消",
        ["FollowUpStatus.Open"] = "待办", ["FollowUpStatus.Done"] = "已完成", ["FollowUpStatus.Cancelled"] = "已取消",
        ["RequestStatus.Open"] = "待办理", ["RequestStatus.InProgress"] = "办理中", ["RequestStatus.WaitingOtherDepartment"] = "待其他部门",
        ["RequestStatus.Resolved"] = "已解决", ["RequestStatus.CannotResolve"] = "无法解决",
        ["CriterionOutcome.Pass"] = "符合", ["CriterionOutcome.Fail"] = "不符合", ["CriterionOutcome.Unknown"] = "待补充数据",
    };

    public static string Of<TEnum>(this UiText t, TEnum value)
        where TEnum : struct, Enum => t.Of((TEnum?)value);

    public static string Of<TEnum>(this UiText t, TEnum? value)
        where TEnum : struct, Enum =>
        value is { } v && Names.TryGetValue($"{typeof(TEnum).Name}.{v}", out var zh) ? t[zh] : value?.ToString() ?? "—";
}
