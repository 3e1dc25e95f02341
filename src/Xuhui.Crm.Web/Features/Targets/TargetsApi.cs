using Microsoft.AspNetCore.Http.HttpResults;
using Xuhui.Crm.Web.Features.Auth;
using Xuhui.Crm.Web.Shared;

namespace Xuhui.Crm.Web.Features.Targets;

/// <summary>
/// The targets routes: each narrows to the "?district=" asked for, then maps its request to a use case or a query and
/// the outcome to its typed results.
/// </summary>
public static class TargetsApi
{
    public static RouteGroupBuilder MapTargetsApi(this RouteGroupBuilder api)
    {
        api.MapGet("/targets", Get).WithTags("Targets");
        var stats = api.MapGroup("/statistics/enterprise-legal-persons").WithTags("Targets");
        stats.MapGet("/", ListLegalPersons);
        stats.MapPut("/{year:int}", PutLegalPersons).RequireAuthorization(Policies.Manager);
        var indicators = api.MapGroup("/indicators").WithTags("Targets");
        indicators.MapGet("/{code}/values", ListValues);
        indicators.MapPut("/{code}/values/{period}", PutValue).RequireAuthorization(Policies.Manager);
        indicators.MapGet("/{code}/targets", ListTargets);
        indicators.MapPut("/{code}/targets/{year:int}", PutTarget).RequireAuthorization(Policies.Admin);
        return api;
    }

    /// <param name="district">City-wide users: one district's figures (default: the city's, with each district's).</param>
    public static async Task<Results<Ok<TargetsDto>, ValidationProblem, ProblemHttpResult>> Get(
        string? asOf, string? district, [AsParameters] TargetServices s, CancellationToken ct)
    {
        if (DistrictScope.Narrow(s.Db, s.Reference, district) is { } notFound)
        {
            return notFound;
        }

        return (await TargetQueries.AsOfAsync(asOf, s, ct)).ToOk();
    }

    public static async Task<Results<Ok<List<LegalPersonCountDto>>, ProblemHttpResult>> ListLegalPersons(
        string? district, [AsParameters] TargetServices s, CancellationToken ct)
    {
        if (DistrictScope.Narrow(s.Db, s.Reference, district) is { } notFound)
        {
            return notFound;
        }

        return TypedResults.Ok(await TargetQueries.LegalPersonCountsAsync(s, ct));
    }

    public static async Task<Results<Ok<LegalPersonCountDto>, Created<LegalPersonCountDto>, ValidationProblem, ProblemHttpResult>> PutLegalPersons(
        int year, string? district, LegalPersonCountRequest request, [AsParameters] TargetServices s, CancellationToken ct)
    {
        if (DistrictScope.Narrow(s.Db, s.Reference, district) is { } notFound)
        {
            return notFound;
        }

        return OkOrCreated(await RecordLegalPersonCount.HandleAsync(new(year, request), s, ct));
    }

    public static async Task<Results<Ok<List<IndicatorValueDto>>, ProblemHttpResult>> ListValues(
        string code, string? district, [AsParameters] TargetServices s, CancellationToken ct)
    {
        if (DistrictScope.Narrow(s.Db, s.Reference, district, allowCity: true) is { } notFound)
        {
            return notFound;
        }

        return OkOrProblem(await TargetQueries.ValuesAsync(code, s, ct));
    }

    public static async Task<Results<Ok<IndicatorValueDto>, Created<IndicatorValueDto>, ValidationProblem, ProblemHttpResult>> PutValue(
        string code, string period, string? district, IndicatorValueRequest request, [AsParameters] TargetServices s, CancellationToken ct)
    {
        if (DistrictScope.Narrow(s.Db, s.Reference, district, allowCity: true) is { } notFound)
        {
            return notFound;
        }

        return OkOrCreated(await RecordIndicatorValue.HandleAsync(new(code, period, request), s, ct));
    }

    public static async Task<Results<Ok<List<IndicatorTargetDto>>, ProblemHttpResult>> ListTargets(
        string code, string? district, [AsParameters] TargetServices s, CancellationToken ct)
    {
        if (DistrictScope.Narrow(s.Db, s.Reference, district, allowCity: true) is { } notFound)
        {
            return notFound;
        }

        return OkOrProblem(await TargetQueries.TargetsAsync(code, s, ct));
    }

    public static async Task<Results<Ok<IndicatorTargetDto>, Created<IndicatorTargetDto>, ValidationProblem, ProblemHttpResult>> PutTarget(
        string code, int year, string? district, IndicatorTargetRequest request, [AsParameters] TargetServices s, CancellationToken ct)
    {
        if (DistrictScope.Narrow(s.Db, s.Reference, district, allowCity: true) is { } notFound)
        {
            return notFound;
        }

        return OkOrCreated(await SetIndicatorTarget.HandleAsync(new(code, year, request), s, ct));
    }

    /// <summary>A PUT that creates (201) or updates (200) the row it names.</summary>
    private static Results<Ok<T>, Created<T>, ValidationProblem, ProblemHttpResult> OkOrCreated<T>(Outcome<T> outcome) => outcome.Kind switch
    {
        OutcomeKind.Ok => TypedResults.Ok(outcome.Value),
        OutcomeKind.Created => TypedResults.Created(outcome.Location, outcome.Value),
        OutcomeKind.Invalid => outcome.Errors!.ToProblem(),
        _ => (ProblemHttpResult)outcome.ToProblem(),
    };

    /// <summary>A read that fails only as a 404 (never with field errors).</summary>
    private static Results<Ok<T>, ProblemHttpResult> OkOrProblem<T>(Outcome<T> outcome) =>
        outcome.IsOk ? TypedResults.Ok(outcome.Value) : (ProblemHttpResult)outcome.ToProblem();
}
