namespace Xuhui.Crm.Domain.Firms;

/// <summary>Unified social credit code (GB 32100-2015): normalisation and check character.</summary>
/// <remarks>STUB: to be implemented by the domain work (see issue 2).</remarks>
public static class CreditCode
{
    public const string Alphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY";

    /// <summary>Removes all white space (ASCII and full-width), folds full-width to half-width (NFKC) and upper-cases.</summary>
    public static string Normalize(string? raw) => (raw ?? string.Empty).Trim().ToUpperInvariant();

    /// <summary>Normalises, then validates length, alphabet and check character.</summary>
    public static CreditCodeResult Check(string? raw)
    {
        var n = Normalize(raw);
        return new CreditCodeResult(n, n.Length == 18, n.Length == 18 ? null : CreditCodeError.WrongLength, null);
    }
}

public enum CreditCodeError
{
    Empty,
    WrongLength,
    InvalidCharacter,
    WrongCheckCharacter,
}

/// <param name="Normalized">The normalised input.</param>
/// <param name="IsValid">True when length, alphabet and check character are all right.</param>
/// <param name="Error">What is wrong, when not valid.</param>
/// <param name="ExpectedCheckCharacter">The check character the first 17 characters call for, when they are well-formed.</param>
public sealed record CreditCodeResult(string Normalized, bool IsValid, CreditCodeError? Error, char? ExpectedCheckCharacter)
{
    /// <summary>A Chinese message for the user; for a wrong check character it reads "校验位应为 X".</summary>
    public string Message => Error switch
    {
        null => string.Empty,
        CreditCodeError.WrongCheckCharacter => $"校验位应为 {ExpectedCheckCharacter}",
        _ => "统一社会信用代码无效",
    };
}
