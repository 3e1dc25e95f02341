using Xuhui.Crm.Domain.Firms;
using Xuhui.Crm.Web.Shared;
using Xuhui.Crm.Web.Shared.Localisation;

namespace Xuhui.Crm.Web.Features.Search;

/// <summary>Query-string filters of the firm list.</summary>
public sealed record FirmQuery(
    string? Q,
    string? Program,
    string? Stage,
    long? OfficerId,
    string? Zone,
    string? Industry,
    string? Tier,
    string? Status,
    string? Sort,
    int? Page,
    int? PageSize)
{
    public const int MaxPageSize = 200;

    /// <summary>The longest search text accepted.</summary>
    public const int MaxQueryLength = 100;

    public Errors Validate()
    {
        var errors = new Errors();
        if (Tier is not null && !Json.TryParseEnum<FirmTier>(Tier, out _))
        {
            errors.Add("tier", Messages.OneOf(Json.Allowed<FirmTier>()));
        }

        if (Status is not null && !Json.TryParseEnum<FirmStatus>(Status, out _))
        {
            errors.Add("status", Messages.OneOf(Json.Allowed<FirmStatus>()));
        }

        if (Page is < 1)
        {
            errors.Add("page", Text.T("页码从1开始"));
        }

        if (PageSize is < 1 or > MaxPageSize)
        {
            errors.Add("pageSize", Text.F("每页1–{0}条", MaxPageSize));
        }

        if (Sort is not null && Sort is not ("name" or "-name" or "createdAt" or "-createdAt" or "lastVisitOn" or "-lastVisitOn"))
        {
            errors.Add("sort", Text.T("取值应为 name, createdAt, lastVisitOn（前加 - 为倒序）"));
        }

        if (Q is { Length: > MaxQueryLength })
        {
            errors.Add("q", Text.F("搜索词不超过{0}字", MaxQueryLength));
        }

        return errors;
    }
}
