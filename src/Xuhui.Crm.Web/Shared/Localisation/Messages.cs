namespace Xuhui.Crm.Web.Shared.Localisation;

/// <summary>The messages several features give, written once (each feature keeps its own beside its use cases).</summary>
public static class Messages
{
    public static string FirmNotFound(long id) => Text.F("企业 {0} 不存在", id);

    /// <summary>A field naming a firm that does not exist, is archived or is outside the caller's district.</summary>
    public static string UnknownFirm => Text.T("企业不存在或已归档");

    public static string ContactNotFound(long id) => Text.F("联系人 {0} 不存在", id);

    public static string CaseNotFound(long id) => Text.F("案件 {0} 不存在", id);

    public static string VisitNotFound(long id) => Text.F("走访记录 {0} 不存在", id);

    public static string UserNotFound(long id) => Text.F("用户 {0} 不存在", id);

    /// <summary>A value outside its allowed set (codes, enum names), listing the allowed ones.</summary>
    public static string OneOf(string allowed) => Text.F("取值应为：{0}", allowed);
}
