using System.Net;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Unicode;
using Xuhui.Crm.Web.Shared.Localisation;

namespace Xuhui.Crm.Web.Features.Operations;

/// <summary>
/// The answer to one login too many: a problem for the API, and for the login form a page a person can read (a
/// browser shows raw JSON as it is).
/// </summary>
internal static class LoginLimited
{
    private static readonly JsonSerializerOptions Readable = new() { Encoder = JavaScriptEncoder.Create(UnicodeRanges.All) };

    public static async ValueTask WriteAsync(HttpContext http, CancellationToken ct)
    {
        var title = Text.T("登录尝试过于频繁，请稍后再试");
        if (http.Request.Path.StartsWithSegments("/api"))
        {
            http.Response.ContentType = "application/problem+json";
            await http.Response.WriteAsync(JsonSerializer.Serialize(new { status = StatusCodes.Status429TooManyRequests, title }, Readable), ct);
            return;
        }

        var lang = Text.IsEnglish ? "en" : "zh-CN";
        var back = WebUtility.HtmlEncode(Text.T("返回登录"));
        var text = WebUtility.HtmlEncode(title);
        http.Response.ContentType = "text/html; charset=utf-8";
        await http.Response.WriteAsync(
            $"<!DOCTYPE html><html lang=\"{lang}\"><head><meta charset=\"utf-8\"><title>{text}</title></head>" +
            $"<body><main><h1>{text}</h1><p><a href=\"/login\">{back}</a></p></main></body></html>",
            ct);
    }
}
