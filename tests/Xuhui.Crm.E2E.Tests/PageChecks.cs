using Microsoft.Playwright;

namespace Xuhui.Crm.E2E.Tests;

/// <summary>Screenshots for people to look at, and the checks every page must pass.</summary>
public static class PageChecks
{
    private const string AccessibilityScan = """
        () => {
          const problems = [];
          if (!document.documentElement.lang) problems.push('html without lang');
          document.querySelectorAll('input:not([type=hidden]), select, textarea').forEach(el => {
            const byFor = el.id && document.querySelector('label[for="' + CSS.escape(el.id) + '"]');
            if (!byFor && !el.closest('label') && !el.getAttribute('aria-label') && !el.getAttribute('aria-labelledby'))
              problems.push('unlabelled control: ' + el.outerHTML.slice(0, 100));
          });
          document.querySelectorAll('img').forEach(img => { if (!img.hasAttribute('alt')) problems.push('image without alt: ' + img.src); });
          document.querySelectorAll('button, a[href]').forEach(el => {
            if (!(el.getAttribute('aria-label') || el.textContent).trim()) problems.push('control without a name: ' + el.outerHTML.slice(0, 100));
          });
          const headings = [...document.querySelectorAll('h1, h2, h3, h4, h5, h6')];
          if (document.querySelectorAll('h1').length !== 1) problems.push('expected one h1, found ' + document.querySelectorAll('h1').length);
          let previous = 0;
          for (const h of headings) {
            const level = +h.tagName[1];
            if (previous === 0 && level !== 1) problems.push('first heading is ' + h.tagName);
            if (previous && level > previous + 1) problems.push('heading skips from h' + previous + ' to h' + level + ': ' + h.textContent.trim());
            previous = level;
          }
          return problems;
        }
        """;

    public static async Task ShotAsync(this IPage page, string name) =>
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(CrmApp.Artifacts, name + ".png"), FullPage = true });

    public static async Task AssertAccessibleAsync(this IPage page)
    {
        var problems = await page.EvaluateAsync<string[]>(AccessibilityScan);
        Assert.True(problems.Length == 0, $"{page.Url}: {string.Join("; ", problems)}");
    }

    public static async Task AssertNoSidewaysScrollAsync(this IPage page)
    {
        var widths = await page.EvaluateAsync<int[]>("() => [document.documentElement.scrollWidth, window.innerWidth]");
        Assert.True(widths[0] <= widths[1], $"{page.Url} scrolls sideways at {widths[1]} px: content is {widths[0]} px wide");
    }

    /// <summary>A form's antiforgery token, for posting as this user outside the page's own buttons.</summary>
    public static Task<string> AntiforgeryTokenAsync(this IPage page) =>
        page.Locator("input[name=__RequestVerificationToken]").First.InputValueAsync();
}
