using Xuhui.Crm.Domain.Programs;
using Xuhui.Crm.Web.Shared.Localisation;

namespace Xuhui.Crm.Web.Features.Cases;

/// <summary>
/// The case messages in the caller's language. The programme catalogue's refusals are composed here from their codes
/// (the Domain keeps its Chinese text for its own tests); in Chinese both read the same.
/// </summary>
public static class CaseMessages
{
    public static string Name(StageDefinition s) => Text.IsEnglish ? s.NameEn : s.NameZh;

    public static string Name(ProgramDefinition p) => Text.IsEnglish ? p.NameEn : p.NameZh;

    /// <summary>「培育」(nurturing), or “Nurturing” (nurturing) in English; the bare code for an unknown stage.</summary>
    public static string Describe(ProgramDefinition? p, string? code) =>
        p?.FindStage(code) is { } s ? Text.F("「{0}」({1})", Name(s), s.Code) : Text.F("「{0}」", code);

    public static string List(IEnumerable<string> items) => string.Join(Text.IsEnglish ? ", " : "、", items);

    public static string OneOf(IEnumerable<string> values) => Text.F("取值应为：{0}", string.Join(", ", values));

    public static string NotAssignable(long userId) => Text.F("用户 {0} 不存在、已停用或无权负责案件", userId);

    public static string NotInFuture => Text.T("日期不能晚于今天");

    public static string Required => Text.T("必填");

    /// <summary>Why a move was refused (or, when allowed, what it does), naming the stages.</summary>
    public static string Refusal(TransitionCheck check, ProgramCatalog catalog)
    {
        var p = catalog.Find(check.Program);
        string D(string? code) => Describe(p, code);
        if (p is null)
        {
            return Text.F("未知的培育项目「{0}」", check.Program);
        }

        return check.Status switch
        {
            TransitionStatus.UnknownProgram => Text.F("未知的培育项目「{0}」", check.Program),
            TransitionStatus.UnknownStage => Text.F("「{0}」没有阶段「{1}」", Name(p), check.Stage),
            TransitionStatus.Stale => Text.F("案件当前阶段为{0}，而请求期望从{1} 变更", D(check.Current), D(check.ExpectedFrom)),
            TransitionStatus.Allowed => Text.F("从{0} 变更为{1}", D(check.Current), D(check.To)),
            TransitionStatus.NotWherePaused => Text.F(
                "{0}的案件只能恢复到{0}前的阶段 {1}，不能恢复到 {2}",
                p.FindStage(check.Current) is { } paused ? Name(paused) : check.Current,
                D(check.PausedFrom),
                D(check.To)),
            _ => Text.F("不允许从{0} 直接变更为{1}{2}", D(check.Current), D(check.To), check.Next.Count > 0
                ? Text.F("；可变更为：{0}", List(check.Next.Select(D)))
                : Text.F("；{0} 为结束阶段，如需重新开始请新建案件", D(check.Current))),
        };
    }
}
