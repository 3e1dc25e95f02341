namespace Xuhui.Crm.Domain.Districts;

/// <summary>A row that belongs to one district (GB/T 2260 code, e.g. 310104 徐汇区): visibility and job scoping key on it.</summary>
public interface IDistrictOwned
{
    string DistrictCode { get; set; }
}

/// <summary>
/// A row that belongs to one firm and is seen only where its firm is: the district filter reaches it through the firm's
/// row, so a transfer moves it by changing that one row. Rows keyed by a firm but deliberately seen city-wide (history,
/// accountability logs, search grams) do not carry it.
/// </summary>
public interface IFirmOwned
{
    long FirmId { get; }
}

public static class DistrictCodes
{
    /// <summary>Shanghai municipality: the key of city-wide rows (the city's monthly snapshot), never a firm's district.</summary>
    public const string City = "310000";

    public static bool IsWellFormed(string? code) => code is { Length: 6 } && code.All(char.IsAsciiDigit);
}
