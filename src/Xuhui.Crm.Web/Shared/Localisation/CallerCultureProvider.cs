using Microsoft.AspNetCore.Localization;

namespace Xuhui.Crm.Web.Shared.Localisation;

/// <summary>
/// The API answers in the caller's language: Accept-Language's preferred English means English, anything else (or
/// nothing) Simplified Chinese. Pages keep the officer's cookie switch, so a browser's language never decides there.
/// </summary>
public sealed class CallerCultureProvider : RequestCultureProvider
{
    private static readonly Task<ProviderCultureResult?> Chinese = Task.FromResult<ProviderCultureResult?>(new ProviderCultureResult("zh-CN"));
    private static readonly Task<ProviderCultureResult?> English = Task.FromResult<ProviderCultureResult?>(new ProviderCultureResult("en"));
    private readonly CookieRequestCultureProvider _cookie = new();

    public override Task<ProviderCultureResult?> DetermineProviderCultureResult(HttpContext httpContext)
    {
        if (!httpContext.Request.Path.StartsWithSegments("/api"))
        {
            return _cookie.DetermineProviderCultureResult(httpContext);
        }

        return PrefersEnglish(httpContext.Request) ? English : Chinese;
    }

    /// <summary>The highest-quality language wins; ties keep the caller's order.</summary>
    private static bool PrefersEnglish(HttpRequest request)
    {
        var languages = request.GetTypedHeaders().AcceptLanguage;
        if (languages.Count == 0)
        {
            return false;
        }

        var first = languages.Where(l => (l.Quality ?? 1) > 0).OrderByDescending(l => l.Quality ?? 1).FirstOrDefault();
        var tag = first?.Value.Value ?? string.Empty;
        return tag.Equals("en", StringComparison.OrdinalIgnoreCase) || tag.StartsWith("en-", StringComparison.OrdinalIgnoreCase);
    }
}
