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
            errors.Add("page", $"页码为 1–{MaxPage} (1 to {MaxPage})");
        }

        if (pageSize is < 1 or > MaxSize)
        {
            errors.Add("pageSize", $"每页1–{MaxSize}条 (1 to {MaxSize})");
        }
    }

    public static (int Page, int Size) Resolve(int? page, int? pageSize) => (page ?? 1, pageSize ?? DefaultSize);
}
