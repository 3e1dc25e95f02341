using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Xuhui.Crm.Web.Shared;

namespace Xuhui.Crm.Web.Features.Cases;

/// <summary>The case routes: each maps its use case's outcome to the endpoint's typed results.</summary>
public static class CasesApi
{
    public static RouteGroupBuilder MapCasesApi(this RouteGroupBuilder api)
    {
        api.MapPost("/firms/{firmId:long}/cases", Create).WithTags("Cases").RequireAuthorization(Policies.Writer);
        api.MapGet("/firms/{firmId:long}/cases", ForFirm).WithTags("Cases");
        var group = api.MapGroup("/cases").WithTags("Cases");
        group.MapGet("/", List);
        group.MapGet("/{id:long}", Get);
        group.MapPut("/{id:long}", Update).RequireAuthorization(Policies.Writer);
        group.MapPost("/{id:long}/transitions", Transition).RequireAuthorization(Policies.Writer);
        group.MapPut("/{id:long}/certificate", Certificate).RequireAuthorization(Policies.Writer);
        group.MapPost("/{id:long}/annual-reports", AnnualReport).RequireAuthorization(Policies.Writer);
        return api;
    }

    public static async Task<Results<Ok<CasePage>, ValidationProblem>> List(
        string? program, string? stage, long? ownerId, bool? open, long? firmId, int? page, int? pageSize,
        [AsParameters] CaseServices s, CancellationToken ct)
        => (await CaseQueries.ListAsync(new(program, stage, ownerId, open, firmId, page, pageSize), s, ct)).ToOkOrInvalid();

    public static async Task<Results<Ok<List<CaseDto>>, ProblemHttpResult>> ForFirm(long firmId, [AsParameters] CaseServices s, CancellationToken ct) =>
        (await CaseQueries.ForFirmAsync(firmId, s, ct)).ToOkOrProblem();

    public static async Task<Results<Ok<CaseDto>, ProblemHttpResult>> Get(long id, [AsParameters] CaseServices s, CancellationToken ct) =>
        (await CaseQueries.GetAsync(id, s, ct)).ToOkOrProblem();

    public static async Task<Results<Created<CaseDto>, ValidationProblem, ProblemHttpResult>> Create(
        long firmId, CreateCaseRequest request, ClaimsPrincipal user, [AsParameters] CaseServices s, CancellationToken ct) =>
        (await OpenCase.HandleAsync(new(firmId, request), user, s, ct)).ToCreated();

    public static async Task<Results<Ok<CaseDto>, ValidationProblem, ProblemHttpResult>> Transition(
        long id, TransitionRequest request, ClaimsPrincipal user, [AsParameters] CaseServices s, CancellationToken ct) =>
        (await MoveCase.HandleAsync(new(id, request), user, s, ct)).ToOk();

    public static async Task<Results<Ok<CaseDto>, ValidationProblem, ProblemHttpResult>> Certificate(
        long id, CertificateRequest request, ClaimsPrincipal user, [AsParameters] CaseServices s, CancellationToken ct) =>
        (await SetCertificate.HandleAsync(new(id, request), user, s, ct)).ToOk();

    public static async Task<Results<Ok<CaseDto>, ValidationProblem, ProblemHttpResult>> Update(
        long id, CaseUpdateRequest request, ClaimsPrincipal user, [AsParameters] CaseServices s, CancellationToken ct) =>
        (await UpdateCase.HandleAsync(new(id, request), user, s, ct)).ToOk();

    public static async Task<Results<Ok<CaseDto>, ValidationProblem, ProblemHttpResult>> AnnualReport(
        long id, AnnualReportRequest request, ClaimsPrincipal user, [AsParameters] CaseServices s, CancellationToken ct) =>
        (await FileAnnualReport.HandleAsync(new(id, request), user, s, ct)).ToOk();
}
