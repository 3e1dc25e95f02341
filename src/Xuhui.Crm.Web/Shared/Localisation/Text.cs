using System.Globalization;

namespace Xuhui.Crm.Web.Shared.Localisation;

/// <summary>
/// The one message catalogue: the Chinese text is the key and <see cref="English"/> holds its English. Every
/// user-facing text (API problems and field errors, pages, emails, exports) goes through here, so the request's
/// culture (zh-CN by default; English by the page switch or the API's Accept-Language) picks the language.
/// </summary>
public static class Text
{
    /// <summary>The language of a request without a preference, and of what background work records.</summary>
    public static readonly CultureInfo Default = CultureInfo.GetCultureInfo("zh-CN");

    public static bool IsEnglish => CultureInfo.CurrentUICulture.TwoLetterISOLanguageName == "en";

    /// <summary>The text in the caller's language.</summary>
    public static string T(string zh) => IsEnglish && English.Words.TryGetValue(zh, out var en) ? en : zh;

    /// <summary>A composite format in the caller's language: the Chinese format is the key.</summary>
    public static string F(string zhFormat, params object?[] args) => string.Format(CultureInfo.CurrentCulture, T(zhFormat), args);

    /// <summary>
    /// Jobs and the outbox have no caller: what they record is in the default language, whatever the server's locale.
    /// Called at the top of an async method, the setting ends with it.
    /// </summary>
    public static void UseDefaultLanguage() => CultureInfo.CurrentUICulture = Default;
}
