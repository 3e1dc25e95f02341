using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Xuhui.Crm.Web.Shared.Localisation;

namespace Xuhui.Crm.Web.Shared;

/// <summary>Collects field errors for a 400 ValidationProblem.</summary>
public sealed class Errors
{
    private readonly Dictionary<string, List<string>> _errors = [];

    public bool Any => _errors.Count > 0;

    public Errors Add(string field, string message)
    {
        if (!_errors.TryGetValue(field, out var list))
        {
            _errors[field] = list = [];
        }

        list.Add(message);
        return this;
    }

    public Dictionary<string, string[]> ToDictionary() => _errors.ToDictionary(e => e.Key, e => e.Value.ToArray());

    public ValidationProblem ToProblem() => TypedResults.ValidationProblem(ToDictionary(), title: Problems.InvalidTitle);
}

public static class Problems
{
    public static string InvalidTitle => Text.T("请求数据有误");

    public static string ConflictTitle => Text.T("数据已被他人修改或状态冲突");

    public static string VersionRequired => Text.T("必填：请提交读取时得到的版本号 version，以免覆盖他人的修改");

    public static string Required => Text.T("必填");

    public static ValidationProblem Field(string field, string message) => new Errors().Add(field, message).ToProblem();

    public static ProblemHttpResult NotFound(string what) =>
        TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: Text.T("未找到"), detail: what);

    public static ProblemHttpResult Forbidden(string why) =>
        TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden, title: Text.T("无权操作"), detail: why);

    /// <summary>409 whose body carries the current representation, so the client can show what changed.</summary>
    public static ProblemHttpResult Conflict(string detail, object? current = null)
    {
        var extensions = new Dictionary<string, object?>();
        if (current is not null)
        {
            extensions["current"] = current;
        }

        return TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: ConflictTitle, detail: detail, extensions: extensions);
    }
}

/// <summary>A save refused by the input rules, malformed JSON, wrong types, impossible dates, unknown enum values and overflows become a 400 naming the field; nothing else leaks as a 500 body.</summary>
public sealed partial class BadRequestExceptionHandler(IProblemDetailsService problems) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        Dictionary<string, string[]> fields;
        if (exception is InputRejectedException rejected)
        {
            fields = rejected.Errors.ToDictionary();
        }
        else if (exception is BadHttpRequestException bad)
        {
            var (field, message) = Describe(bad);
            fields = new Dictionary<string, string[]> { [field] = [message] };
        }
        else
        {
            return false;
        }

        httpContext.Response.StatusCode = StatusCodes.Status400BadRequest;
        var details = new HttpValidationProblemDetails(fields)
        {
            Status = StatusCodes.Status400BadRequest,
            Title = Problems.InvalidTitle,
        };
        return await problems.TryWriteAsync(new ProblemDetailsContext { HttpContext = httpContext, ProblemDetails = details, Exception = exception });
    }

    private static (string Field, string Message) Describe(BadHttpRequestException bad)
    {
        if (bad.InnerException is JsonException json)
        {
            var path = json.Path ?? "$";
            var field = path.StartsWith("$.", StringComparison.Ordinal) ? path[2..] : path == "$" ? "body" : path.TrimStart('$');
            return (field, Hint(json.Message));
        }

        var match = ParameterName().Match(bad.Message);
        if (match.Success)
        {
            var name = match.Groups["name"].Value;
            return (char.ToLowerInvariant(name[0]) + name[1..], Text.F("参数取值无效：{0}", match.Groups["value"].Value));
        }

        return bad.Message.Contains("no body was provided", StringComparison.Ordinal)
            ? ("body", Text.T("请求体不能为空，应为 JSON"))
            : ("body", bad.Message);
    }

    /// <summary>Says in the caller's language what the field should look like, from the target type System.Text.Json names.</summary>
    private static string Hint(string message)
    {
        if (message.Contains("(must not be null)", StringComparison.Ordinal))
        {
            return Text.T("不能为 null");
        }

        var type = TargetType().Match(message) is { Success: true } m ? m.Groups["type"].Value : string.Empty;
        if (type.Contains("DateOnly", StringComparison.Ordinal))
        {
            return Text.T("应为 YYYY-MM-DD 格式的有效日期");
        }

        if (type.Contains("DateTime", StringComparison.Ordinal))
        {
            return Text.T("应为 ISO 8601 格式的时间");
        }

        if (type.Contains("Int32", StringComparison.Ordinal) || type.Contains("Int64", StringComparison.Ordinal) || type.Contains("Decimal", StringComparison.Ordinal))
        {
            return Text.T("应为数值且不超出范围");
        }

        if (type.Contains("Boolean", StringComparison.Ordinal))
        {
            return Text.T("应为 true 或 false");
        }

        if (type.Length == 0)
        {
            return Text.T("JSON 格式无效");
        }

        var enumType = typeof(Domain.Firms.Firm).Assembly.GetType(type.Replace("System.Nullable`1[", string.Empty, StringComparison.Ordinal).TrimEnd(']'));
        if (enumType is { IsEnum: true })
        {
            var names = Enum.GetNames(enumType).Select(n => Json.EnumNaming.ConvertName(n));
            return Text.F("取值应为：{0}", string.Join(", ", names));
        }

        return Text.T("字段类型不正确");
    }

    [GeneratedRegex("could not be converted to (?<type>[^ .][^ ]*)\\.")]
    private static partial Regex TargetType();

    [GeneratedRegex("""parameter "(?:[^" ]+ )?(?<name>[^" ]+)" from "(?<value>[^"]*)""")]
    private static partial Regex ParameterName();
}
