using Xuhui.Crm.Domain.Firms;
using Xuhui.Crm.Web.Shared.Localisation;

namespace Xuhui.Crm.Web.Features.Firms;

/// <summary>A credit-code check's finding in the caller's language (the domain names the error; the catalogue words it).</summary>
internal static class CreditCodeText
{
    public static string Describe(CreditCodeResult check) => check.Error switch
    {
        null => string.Empty,
        CreditCodeError.Empty => Text.T("请输入统一社会信用代码"),
        CreditCodeError.WrongLength => Text.F("统一社会信用代码应为 18 位，实际为 {0} 位", check.Normalized.Length),
        CreditCodeError.InvalidCharacter => Text.F("第 {0} 位字符「{1}」无效：统一社会信用代码只使用数字和大写字母（不含 I、O、Z、S、V）", check.InvalidCharacterPosition ?? 0, Shown(check)),
        CreditCodeError.WrongCheckCharacter => Text.F("校验位应为 {0}", check.ExpectedCheckCharacter),
        _ => Text.T("统一社会信用代码无效"),
    };

    /// <summary>The offending character, or its code point when it would not print.</summary>
    private static string Shown(CreditCodeResult check)
    {
        var position = check.InvalidCharacterPosition ?? 0;
        var c = position > 0 ? check.Normalized[position - 1] : '?';
        return char.IsControl(c) || char.IsSurrogate(c) ? $"U+{(int)c:X4}" : c.ToString();
    }
}
