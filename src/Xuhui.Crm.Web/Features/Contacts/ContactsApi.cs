using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Xuhui.Crm.Web.Shared;

namespace Xuhui.Crm.Web.Features.Contacts;

/// <summary>The contact routes: each maps its request to a use case or a query and the outcome to its typed results.</summary>
public static class ContactsApi
{
    public static RouteGroupBuilder MapContactsApi(this RouteGroupBuilder api)
    {
        api.MapGet("/firms/{firmId:long}/contacts", List).WithTags("Contacts");
        api.MapPost("/firms/{firmId:long}/contacts", Create).WithTags("Contacts").RequireAuthorization(Policies.Writer);
        api.MapGet("/contacts/{id:long}", Get).WithTags("Contacts");
        api.MapPut("/contacts/{id:long}", Update).WithTags("Contacts").RequireAuthorization(Policies.Writer);
        api.MapDelete("/contacts/{id:long}", Archive).WithTags("Contacts").RequireAuthorization(Policies.Writer);
        api.MapPost("/contacts/{id:long}/erase", Erase).WithTags("Contacts").RequireAuthorization(Policies.Manager);
        return api;
    }

    public static async Task<Results<Ok<List<ContactDto>>, ProblemHttpResult>> List(long firmId, ClaimsPrincipal user, [AsParameters] ContactServices s, CancellationToken ct) =>
        (await ContactQueries.ListAsync(s.Db, user, firmId, ct)).ToOkOrProblem();

    public static async Task<Results<Ok<ContactDto>, ProblemHttpResult>> Get(long id, ClaimsPrincipal user, [AsParameters] ContactServices s, CancellationToken ct) =>
        (await ContactQueries.GetAsync(s.Db, user, id, ct)).ToOkOrProblem();

    public static async Task<Results<Created<ContactDto>, ValidationProblem, ProblemHttpResult>> Create(
        long firmId, ContactRequest request, ClaimsPrincipal user, [AsParameters] ContactServices s, CancellationToken ct) =>
        (await CreateContact.HandleAsync(new(firmId, request), user, s, ct)).ToCreated();

    public static async Task<Results<Ok<ContactDto>, ValidationProblem, ProblemHttpResult>> Update(
        long id, ContactRequest request, ClaimsPrincipal user, [AsParameters] ContactServices s, CancellationToken ct) =>
        (await UpdateContact.HandleAsync(new(id, request), user, s, ct)).ToOk();

    public static async Task<Results<NoContent, ProblemHttpResult>> Archive(long id, ClaimsPrincipal user, [AsParameters] ContactServices s, CancellationToken ct) =>
        (await ArchiveContact.HandleAsync(new(id), user, s, ct)).ToNoContentOrProblem();

    public static async Task<Results<NoContent, ProblemHttpResult>> Erase(long id, [AsParameters] ContactServices s, CancellationToken ct) =>
        (await EraseContact.HandleAsync(new(id), s, ct)).ToNoContentOrProblem();
}
