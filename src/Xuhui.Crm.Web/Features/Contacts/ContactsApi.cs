using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Xuhui.Crm.Domain.Firms;
using Xuhui.Crm.Web.Data;
using Xuhui.Crm.Web.Features.Search;
using Xuhui.Crm.Web.Features.Operations;
using Xuhui.Crm.Web.Shared;
using Xuhui.Crm.Web.Features.Firms;

namespace Xuhui.Crm.Web.Features.Contacts;

public sealed record ContactRequest(int? Version, string? Name, string? Title, string? Phone, string? Email, string? WeChat);

/// <param name="Masked">True when the caller may not see this firm's contact details in full.</param>
public sealed record ContactDto(long Id, int Version, long FirmId, string Name, string? Title, string? Phone, string? Email, string? WeChat, bool Masked)
{
    public static ContactDto From(Contact c, bool full) => full
        ? new(c.Id, c.Version, c.FirmId, c.Name, c.Title, c.Phone, c.Email, c.WeChat, false)
        : new(c.Id, c.Version, c.FirmId, c.Name, c.Title, Mask.Phone(c.Phone), Mask.Email(c.Email), Mask.Text(c.WeChat), true);
}

public static class Mask
{
    public static string? Phone(string? v) => v is null ? null : v.Length <= 4 ? "****" : $"{v[..Math.Min(3, v.Length - 4)]}****{v[^4..]}";

    public static string? Email(string? v)
    {
        if (v is null)
        {
            return null;
        }

        var at = v.IndexOf('@', StringComparison.Ordinal);
        return at <= 0 ? "***" : $"{v[0]}***{v[at..]}";
    }

    public static string? Text(string? v) => v is null ? null : v.Length <= 1 ? "***" : $"{v[0]}***";
}

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

    public static async Task<Results<Ok<List<ContactDto>>, ProblemHttpResult>> List(long firmId, ClaimsPrincipal user, CrmDbContext db, CancellationToken ct)
    {
        if (!await db.Firms.AnyAsync(f => f.Id == firmId, ct))
        {
            return Problems.NotFound($"企业 {firmId} 不存在 (firm not found)");
        }

        var full = await FirmAccess.CanSeeContactsAsync(db, user, firmId, ct);
        var contacts = await db.Contacts.AsNoTracking().Where(c => c.FirmId == firmId && !c.IsArchived).OrderBy(c => c.Id).ToListAsync(ct);
        if (full)
        {
            await ContactAccessLog.RecordAsync(db, user, firmId, contacts.Select(c => c.Id), "GET /api/firms/{firmId}/contacts", ct);
        }

        return TypedResults.Ok(contacts.Select(c => ContactDto.From(c, full)).ToList());
    }

    public static async Task<Results<Ok<ContactDto>, ProblemHttpResult>> Get(long id, ClaimsPrincipal user, CrmDbContext db, CancellationToken ct)
    {
        var contact = await db.Contacts.AsNoTracking().FirstOrDefaultAsync(c => c.Id == id, ct);
        if (contact is null)
        {
            return Problems.NotFound($"联系人 {id} 不存在 (contact not found)");
        }

        var full = await FirmAccess.CanSeeContactsAsync(db, user, contact.FirmId, ct);
        if (full)
        {
            await ContactAccessLog.RecordAsync(db, user, contact.FirmId, [contact.Id], "GET /api/contacts/{id}", ct);
        }

        return TypedResults.Ok(ContactDto.From(contact, full));
    }

    public static async Task<Results<Created<ContactDto>, ValidationProblem, ProblemHttpResult>> Create(
        long firmId, ContactRequest request, ClaimsPrincipal user, CrmDbContext db, CancellationToken ct)
    {
        if (!await db.Firms.AnyAsync(f => f.Id == firmId, ct))
        {
            return Problems.NotFound($"企业 {firmId} 不存在 (firm not found)");
        }

        if (!await FirmAccess.CanEditAsync(db, user, firmId, ct))
        {
            return Problems.Forbidden("只有该企业的专员、科长或管理员可以维护联系人");
        }

        var errors = ContactRules.Validate(request);
        if (errors.Any)
        {
            return errors.ToProblem();
        }

        var contact = new Contact { FirmId = firmId };
        Apply(request, contact);
        db.Contacts.Add(contact);
        await db.SaveChangesAsync(ct);
        return TypedResults.Created($"/api/contacts/{contact.Id}", ContactDto.From(contact, true));
    }

    public static async Task<Results<Ok<ContactDto>, ValidationProblem, ProblemHttpResult>> Update(
        long id, ContactRequest request, ClaimsPrincipal user, CrmDbContext db, CancellationToken ct)
    {
        var contact = await db.Contacts.FirstOrDefaultAsync(c => c.Id == id, ct);
        if (contact is null)
        {
            return Problems.NotFound($"联系人 {id} 不存在 (contact not found)");
        }

        if (!await FirmAccess.CanEditAsync(db, user, contact.FirmId, ct))
        {
            return Problems.Forbidden("只有该企业的专员、科长或管理员可以维护联系人");
        }

        if (request.Version is null)
        {
            return Problems.Field("version", Problems.VersionRequired);
        }

        if (request.Version != contact.Version)
        {
            return Problems.Conflict($"联系人已被修改：提交的版本为 {request.Version}，当前版本为 {contact.Version}", ContactDto.From(contact, true));
        }

        var errors = ContactRules.Validate(request);
        if (errors.Any)
        {
            return errors.ToProblem();
        }

        db.Entry(contact).Property(c => c.Version).OriginalValue = request.Version.Value;
        Apply(request, contact);
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateConcurrencyException)
        {
            db.ChangeTracker.Clear();
            var current = await db.Contacts.AsNoTracking().FirstAsync(c => c.Id == id, ct);
            return Problems.Conflict("联系人已被他人修改 (modified by someone else)", ContactDto.From(current, true));
        }

        return TypedResults.Ok(ContactDto.From(contact, true));
    }

    public static async Task<Results<NoContent, ProblemHttpResult>> Archive(long id, ClaimsPrincipal user, CrmDbContext db, CancellationToken ct)
    {
        var contact = await db.Contacts.FirstOrDefaultAsync(c => c.Id == id, ct);
        if (contact is null)
        {
            return Problems.NotFound($"联系人 {id} 不存在 (contact not found)");
        }

        if (!await FirmAccess.CanEditAsync(db, user, contact.FirmId, ct))
        {
            return Problems.Forbidden("只有该企业的专员、科长或管理员可以维护联系人");
        }

        contact.IsArchived = true;
        await db.SaveChangesAsync(ct);
        return TypedResults.NoContent();
    }

    /// <summary>
    /// Erasure on request (PIPL): the contact's details are removed and its values scrubbed from the audit trail;
    /// visits keep their history with an anonymous participant. Backups age out under the retention policy.
    /// </summary>
    public static async Task<Results<NoContent, ProblemHttpResult>> Erase(long id, CrmDbContext db, DataPaths paths, CancellationToken ct)
    {
        var contact = await db.Contacts.FirstOrDefaultAsync(c => c.Id == id, ct);
        if (contact is null)
        {
            return Problems.NotFound($"联系人 {id} 不存在 (contact not found)");
        }

        string[] values = [contact.Name, contact.Phone ?? string.Empty, contact.Email ?? string.Empty, contact.WeChat ?? string.Empty];
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        contact.Name = ContactErasure.ErasedName;
        contact.Title = null;
        contact.Phone = null;
        contact.Email = null;
        contact.WeChat = null;
        contact.IsArchived = true;
        await db.SaveChangesAsync(ct);
        await ContactErasure.ScrubAuditAsync(db, id, ct);
        await ContactErasure.ScrubOutboxAsync(db, values, paths.DataDirectory, ct);
        await tx.CommitAsync(ct);
        return TypedResults.NoContent();
    }

    private static void Apply(ContactRequest r, Contact c)
    {
        c.Name = r.Name!.Trim();
        c.Title = Trim(r.Title);
        c.Phone = Trim(r.Phone);
        c.Email = Trim(r.Email);
        c.WeChat = Trim(r.WeChat);
    }

    private static string? Trim(string? s) => string.IsNullOrWhiteSpace(s) ? null : s.Trim();
}
