using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.ModelBinding;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Xuhui.Crm.Web.Shared;

public enum OutcomeKind
{
    Ok,
    Created,
    Invalid,
    NotFound,
    Forbidden,
    Conflict,
}

/// <summary>
/// What a use case answers: the value, or why not (field errors, not found, forbidden, or a conflict carrying the
/// current representation). The API maps it to typed results (<see cref="OutcomeHttp"/>), the pages to ModelState
/// (<see cref="CopyTo"/>); neither decides a rule.
/// </summary>
public sealed class Outcome<T>
{
    internal Outcome(OutcomeKind kind, T? value, string? message, Errors? errors, object? current, string? location)
    {
        Kind = kind;
        Value = value;
        Message = message;
        Errors = errors;
        Current = current;
        Location = location;
    }

    public OutcomeKind Kind { get; }

    public T? Value { get; }

    /// <summary>The detail of a 404/403/409 (already in the caller's language).</summary>
    public string? Message { get; }

    public Errors? Errors { get; }

    /// <summary>The stored representation a conflict reports, so the caller can show what changed.</summary>
    public object? Current { get; }

    /// <summary>Where a created resource lives.</summary>
    public string? Location { get; }

    public bool IsOk => Kind is OutcomeKind.Ok or OutcomeKind.Created;

    public bool IsConflict => Kind == OutcomeKind.Conflict;

    public static implicit operator Outcome<T>(OutcomeFailure failure) =>
        new(failure.Kind, default, failure.Message, failure.Errors, failure.Current, null);

    /// <summary>The same failure for a use case of another value type (a step that failed stops the caller too).</summary>
    public OutcomeFailure Failure => IsOk
        ? throw new InvalidOperationException("An ok outcome has no failure.")
        : new OutcomeFailure(Kind, Message, Errors, Current);

    /// <summary>
    /// Copies the failure into a page's ModelState: field errors under the page's property prefix ("Form.Name" for
    /// "name"), anything else as a page-level message.
    /// </summary>
    public void CopyTo(ModelStateDictionary modelState, string prefix = "")
    {
        if (IsOk)
        {
            return;
        }

        if (Errors is null || !Errors.Any)
        {
            modelState.AddModelError(string.Empty, Message ?? string.Empty);
            return;
        }

        foreach (var (field, messages) in Errors.ToDictionary())
        {
            var key = field.Length == 0 || prefix.Length == 0 ? field : $"{prefix}.{char.ToUpperInvariant(field[0])}{field[1..]}";
            foreach (var text in messages)
            {
                modelState.AddModelError(key, text);
            }
        }
    }
}

/// <summary>A failed outcome of any value type: <c>return Outcome.NotFound(…)</c> converts to the handler's <see cref="Outcome{T}"/>.</summary>
public readonly record struct OutcomeFailure(OutcomeKind Kind, string? Message, Errors? Errors, object? Current);

public static class Outcome
{
    public static Outcome<T> Ok<T>(T value) => new(OutcomeKind.Ok, value, null, null, null, null);

    public static Outcome<T> Created<T>(string location, T value) => new(OutcomeKind.Created, value, null, null, null, location);

    public static OutcomeFailure Invalid(Errors errors) => new(OutcomeKind.Invalid, null, errors, null);

    public static OutcomeFailure Invalid(string field, string message) => Invalid(new Errors().Add(field, message));

    public static OutcomeFailure NotFound(string message) => new(OutcomeKind.NotFound, message, null, null);

    public static OutcomeFailure Forbidden(string message) => new(OutcomeKind.Forbidden, message, null, null);

    public static OutcomeFailure Conflict(string message, object? current = null) => new(OutcomeKind.Conflict, message, null, current);
}

/// <summary>The API's one adapter: each endpoint keeps its typed result union (and so its OpenAPI description).</summary>
public static class OutcomeHttp
{
    public static Results<Ok<T>, ValidationProblem, ProblemHttpResult> ToOk<T>(this Outcome<T> o)
    {
        if (o.IsOk)
        {
            return TypedResults.Ok(o.Value);
        }

        return o.Kind == OutcomeKind.Invalid ? o.Errors!.ToProblem() : o.ToProblemDetails();
    }

    public static Results<Created<T>, ValidationProblem, ProblemHttpResult> ToCreated<T>(this Outcome<T> o)
    {
        if (o.IsOk)
        {
            return TypedResults.Created(o.Location, o.Value);
        }

        return o.Kind == OutcomeKind.Invalid ? o.Errors!.ToProblem() : o.ToProblemDetails();
    }

    public static Results<NoContent, ValidationProblem, ProblemHttpResult> ToNoContent<T>(this Outcome<T> o)
    {
        if (o.IsOk)
        {
            return TypedResults.NoContent();
        }

        return o.Kind == OutcomeKind.Invalid ? o.Errors!.ToProblem() : o.ToProblemDetails();
    }

    /// <summary>A read that fails only as a 403/404/409, never with field errors: the narrower union keeps the OpenAPI document exact.</summary>
    public static Results<Ok<T>, ProblemHttpResult> ToOkOrProblem<T>(this Outcome<T> o) =>
        o.IsOk ? TypedResults.Ok(o.Value) : o.ToProblemOnly();

    /// <summary>A delete or action without a body that fails only as a 403/404/409.</summary>
    public static Results<NoContent, ProblemHttpResult> ToNoContentOrProblem<T>(this Outcome<T> o) =>
        o.IsOk ? TypedResults.NoContent() : o.ToProblemOnly();

    /// <summary>A query that fails only with field errors (list filters).</summary>
    public static Results<Ok<T>, ValidationProblem> ToOkOrInvalid<T>(this Outcome<T> o) =>
        o.IsOk ? TypedResults.Ok(o.Value) : o.ToInvalidOnly();

    /// <summary>A use case that already wrote the response body (a streamed export): only refused filters answer here.</summary>
    public static Results<EmptyHttpResult, ValidationProblem> ToEmptyOrInvalid<T>(this Outcome<T> o) =>
        o.IsOk ? TypedResults.Empty : o.ToInvalidOnly();

    /// <summary>A failed outcome as its 400/403/404/409 (a ValidationProblem for field errors, a problem otherwise).</summary>
    public static IResult ToProblem<T>(this Outcome<T> o) =>
        o.Kind == OutcomeKind.Invalid ? o.Errors!.ToProblem() : o.ToProblemDetails();

    private static ProblemHttpResult ToProblemOnly<T>(this Outcome<T> o) => o.Kind == OutcomeKind.Invalid
        ? throw new InvalidOperationException("This endpoint answers no field errors, yet its use case gave some.")
        : o.ToProblemDetails();

    private static ValidationProblem ToInvalidOnly<T>(this Outcome<T> o) => o.Kind == OutcomeKind.Invalid
        ? o.Errors!.ToProblem()
        : throw new InvalidOperationException($"This endpoint answers only field errors, yet its use case gave {o.Kind}.");

    private static ProblemHttpResult ToProblemDetails<T>(this Outcome<T> o) => o.Kind switch
    {
        OutcomeKind.NotFound => Problems.NotFound(o.Message ?? string.Empty),
        OutcomeKind.Forbidden => Problems.Forbidden(o.Message ?? string.Empty),
        OutcomeKind.Conflict => Problems.Conflict(o.Message ?? string.Empty, o.Current),
        _ => throw new InvalidOperationException($"Outcome {o.Kind} is not a problem."),
    };
}

/// <summary>The pages' one answer to a refused save, beside <see cref="Outcome{T}.CopyTo"/>.</summary>
public static class OutcomePages
{
    /// <summary>
    /// Forbidden is a 403; a stale save keeps what was typed in the form and hands the stored representation to
    /// <paramref name="stale"/> (show it, take its version) so one more click saves over it; anything else lands in
    /// ModelState under <paramref name="prefix"/>.
    /// </summary>
    public static IActionResult ToRefusedPage<T, TCurrent>(this Outcome<T> outcome, PageModel page, string prefix, Action<TCurrent> stale)
        where TCurrent : class
    {
        if (outcome.Kind == OutcomeKind.Forbidden)
        {
            return page.Forbid();
        }

        if (outcome.IsConflict && outcome.Current is TCurrent now)
        {
            stale(now);
            // Cleared so the form renders the stored version just taken, not the posted one; the typed values are the model's own.
            page.ModelState.Clear();
            return page.Page();
        }

        outcome.CopyTo(page.ModelState, prefix);
        return page.Page();
    }
}
