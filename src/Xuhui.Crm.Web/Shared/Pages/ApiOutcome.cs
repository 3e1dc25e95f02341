using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc.ModelBinding;

namespace Xuhui.Crm.Web.Shared.Pages;

/// <summary>
/// Pages call the same handlers as the API (one set of rules) and read their typed result here:
/// the value, the field errors of a 400, or the message (and current representation) of a 403/404/409.
/// </summary>
public sealed record ApiOutcome<T>(T? Value, int Status, string? Message, IDictionary<string, string[]>? Errors, object? Current)
    where T : class
{
    public bool Ok => Value is not null;

    public bool IsConflict => Status == StatusCodes.Status409Conflict;

    /// <summary>Copies field errors into ModelState under the page's property prefix ("Form.Name" for "name").</summary>
    public void CopyTo(ModelStateDictionary modelState, string prefix) => ApiOutcome.CopyErrors(Errors, Message, modelState, prefix);
}

public static class ApiOutcome
{
    public static ApiOutcome<T> From<T>(IResult result)
        where T : class => (result is INestedHttpResult nested ? nested.Result : result) switch
    {
        Ok<T> ok => new(ok.Value, 200, null, null, null),
        Created<T> created => new(created.Value, 201, null, null, null),
        Accepted<T> accepted => new(accepted.Value, 202, null, null, null),
        ValidationProblem v => new(null, 400, v.ProblemDetails.Errors.SelectMany(e => e.Value).FirstOrDefault(), v.ProblemDetails.Errors, null),
        ProblemHttpResult p => new(
            null,
            p.StatusCode,
            p.ProblemDetails.Detail ?? p.ProblemDetails.Title,
            null,
            p.ProblemDetails.Extensions.TryGetValue("current", out var current) ? current : null),
        var other => new(null, 500, other.GetType().Name, null, null),
    };

    public static void CopyErrors(IDictionary<string, string[]>? errors, string? message, ModelStateDictionary modelState, string prefix)
    {
        if (errors is null)
        {
            modelState.AddModelError(string.Empty, message ?? string.Empty);
            return;
        }

        foreach (var (field, messages) in errors)
        {
            var key = field.Length == 0 || prefix.Length == 0 ? field : $"{prefix}.{char.ToUpperInvariant(field[0])}{field[1..]}";
            foreach (var text in messages)
            {
                modelState.AddModelError(key, text);
            }
        }
    }
}
