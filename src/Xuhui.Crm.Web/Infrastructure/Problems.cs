using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace Xuhui.Crm.Web.Infrastructure;

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

    public ValidationProblem ToProblem() => TypedResults.ValidationProblem(ToDictionary(), title: "请求数据有误 (invalid request)");
}

public static class Problems
{
    public static ValidationProblem Field(string field, string message) => new Errors().Add(field, message).ToProblem();

    public static ProblemHttpResult NotFound(string what) =>
        TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "未找到 (not found)", detail: what);

    public static ProblemHttpResult Forbidden(string why) =>
        TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden, title: "无权操作 (forbidden)", detail: why);

    /// <summary>409 whose body carries the current representation, so the client can show what changed.</summary>
    public static ProblemHttpResult Conflict(string detail, object? current = null)
    {
        var extensions = new Dictionary<string, object?>();
        if (current is not null)
        {
            extensions["current"] = current;
        }

        return TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "数据已被他人修改或状态冲突 (conflict)", detail: detail, extensions: extensions);
    }
}

/// <summary>Malformed JSON, wrong types, impossible dates, unknown enum values and overflows become a 400 naming the field; nothing else leaks as a 500 body.</summary>
public sealed partial class BadRequestExceptionHandler(IProblemDetailsService problems) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (exception is not BadHttpRequestException bad)
        {
            return false;
        }

        var (field, message) = Describe(bad);
        httpContext.Response.StatusCode = StatusCodes.Status400BadRequest;
        var details = new HttpValidationProblemDetails(new Dictionary<string, string[]> { [field] = [message] })
        {
            Status = StatusCodes.Status400BadRequest,
            Title = "请求数据有误 (invalid request)",
        };
        return await problems.TryWriteAsync(new ProblemDetailsContext { HttpContext = httpContext, ProblemDetails = details, Exception = exception });
    }

    private static (string Field, string Message) Describe(BadHttpRequestException bad)
    {
        if (bad.InnerException is JsonException json)
        {
            var path = json.Path ?? "$";
            var field = path.StartsWith("$.", StringComparison.Ordinal) ? path[2..] : path == "$" ? "body" : path.TrimStart('$');
            return (field, $"字段格式或取值无效 (invalid value): {json.Message.Split(" Path:")[0]}");
        }

        var match = ParameterName().Match(bad.Message);
        if (match.Success)
        {
            return (match.Groups["name"].Value, $"参数取值无效 (invalid value): {match.Groups["value"].Value}");
        }

        return ("body", bad.Message);
    }

    [GeneratedRegex("""parameter "(?:[^" ]+ )?(?<name>[^" ]+)" from "(?<value>[^"]*)""")]
    private static partial Regex ParameterName();
}
