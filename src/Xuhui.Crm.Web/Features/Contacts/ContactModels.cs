using Xuhui.Crm.Domain.Firms;
using Xuhui.Crm.Web.Data;
using Xuhui.Crm.Web.Shared;

namespace Xuhui.Crm.Web.Features.Contacts;

[WritesTo(typeof(Contact))]
public sealed record ContactRequest(int? Version, string? Name, string? Title, string? Phone, string? Email, string? WeChat)
{
    /// <summary>The request's fields onto the entity, trimmed (blank optional fields are stored as null).</summary>
    public void ApplyTo(Contact c)
    {
        c.Name = Name!.Trim();
        c.Title = Trim(Title);
        c.Phone = Trim(Phone);
        c.Email = Trim(Email);
        c.WeChat = Trim(WeChat);
    }

    private static string? Trim(string? s) => string.IsNullOrWhiteSpace(s) ? null : s.Trim();
}

/// <param name="Masked">True when the caller may not see this firm's contact details in full.</param>
public sealed record ContactDto(long Id, int Version, long FirmId, string Name, string? Title, string? Phone, string? Email, string? WeChat, bool Masked)
{
    public static ContactDto From(Contact c, bool full) => full
        ? new(c.Id, c.Version, c.FirmId, c.Name, c.Title, c.Phone, c.Email, c.WeChat, false)
        : new(c.Id, c.Version, c.FirmId, c.Name, c.Title, ContactMask.Phone(c.Phone), ContactMask.Email(c.Email), ContactMask.Text(c.WeChat), true);
}

/// <summary>What the contact use cases need, bound as one <c>[AsParameters]</c> argument by the API.</summary>
public sealed record ContactServices(CrmDbContext Db, DataPaths Paths);
