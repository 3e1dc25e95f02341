using Microsoft.AspNetCore.Http.HttpResults;

namespace Xuhui.Crm.Web.Shared;

/// <summary>
/// For an endpoint whose typed union names a plain problem (no field errors), so its OpenAPI description stays as it
/// is: a failed outcome as its 403/404/409.
/// </summary>
public static class OutcomeProblems
{
    public static ProblemHttpResult ToProblemResult<T>(this Outcome<T> o) => o.Kind switch
    {
        OutcomeKind.NotFound => Problems.NotFound(o.Message ?? string.Empty),
        OutcomeKind.Forbidden => Problems.Forbidden(o.Message ?? string.Empty),
        OutcomeKind.Conflict => Problems.Conflict(o.Message ?? string.Empty, o.Current),
        _ => throw new InvalidOperationException($"Outcome {o.Kind} is not a plain problem."),
    };
}
