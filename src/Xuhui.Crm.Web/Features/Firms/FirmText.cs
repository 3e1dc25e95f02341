using Xuhui.Crm.Web.Shared.Localisation;

namespace Xuhui.Crm.Web.Features.Firms;

/// <summary>The messages several firm use cases give (the firm-not-found one is shared: <see cref="Messages.FirmNotFound"/>).</summary>
internal static class FirmText
{
    public static string StaleVersion(int? sent, int current) => Text.F("企业已被修改：提交的版本为 {0}，当前版本为 {1}", sent, current);

    public static string ModifiedMeanwhile => Text.T("企业已被他人修改，请刷新后重试");

    public static string UnknownOfficer(long id) => Text.F("用户 {0} 不存在、已停用或无权负责企业", id);

    public static string Required => Text.T("必填");
}
