using Xuhui.Crm.Web.Shared.Localisation;

namespace Xuhui.Crm.Web.Shared;

public static class Paging
{
    public const int DefaultSize = 20;
    public const int MaxSize = 200;

    /// <summary>The highest page number a list accepts: page × size stays far inside an int, whatever the list's size limit.</summary>
    public const int MaxPage = 1_000_000;

    public static void Validate(Errors errors, int? page, int? pageSize)
    {
        if (page is < 1 or > MaxPage)
        {
            errors.Add("page", Text.F("页码为 1–{0}", MaxPage));
        }

        if (pageSize is < 1 or > MaxSize)
        {
            errors.Add("pageSize", Text.F("每页1–{0}条", MaxSize));
        }
    }

    public static (int Page, int Size) Resolve(int? page, int? pageSize) => (page ?? 1, pageSize ?? DefaultSize);
}
