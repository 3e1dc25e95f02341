namespace Xuhui.Crm.Domain.Districts;

/// <summary>A row that belongs to one district (GB/T 2260 code, e.g. 310104 徐汇区): visibility and job scoping key on it.</summary>
public interface IDistrictOwned
{
    string DistrictCode { get; set; }
}

public static class DistrictCodes
{
    /// <summary>Shanghai municipality: the key of city-wide rows (the city's monthly snapshot), never a firm's district.</summary>
    public const string City = "310000";

    public static bool IsWellFormed(string? code) => code is { Length: 6 } && code.All(char.IsAsciiDigit);
}
