using Xuhui.Crm.Web.Shared.Localisation;

namespace Xuhui.Crm.Web.Features.Contacts;

internal static class ContactText
{
    public static string NotYourFirm => Text.T("只有该企业的专员、科长或管理员可以维护联系人");
}
