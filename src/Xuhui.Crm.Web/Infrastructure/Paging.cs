namespace Xuhui.Crm.Web.Infrastructure;

public static class Paging
{
    public const int DefaultSize = 20;
    public const int MaxSize = 200;

    public static void Validate(Errors errors, int? page, int? pageSize)
    {
        if (page is < 1)
        {
            errors.Add("page", "页码从1开始 (page starts at 1)");
        }

        if (pageSize is < 1 or > MaxSize)
        {
            errors.Add("pageSize", $"每页1–{MaxSize}条 (1 to {MaxSize})");
        }
    }

    public static (int Page, int Size) Resolve(int? page, int? pageSize) => (page ?? 1, pageSize ?? DefaultSize);
}
