namespace Xuhui.Crm.Domain.Firms;

/// <summary>
/// How a contact's details show to someone who may not see them in full (lists, exports, the audit trail): enough to
/// recognise a number or an address, not to use it.
/// </summary>
public static class ContactMask
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
