using System.Globalization;
using System.Text;

namespace Xuhui.Crm.Domain.Firms;

/// <summary>Unified social credit code (GB 32100-2015): normalisation and check character.</summary>
public static class CreditCode
{
    public const string Alphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY";

    public const int Length = 18;

    /// <summary>Weights for positions 1–17: 3^(i−1) mod 31.</summary>
    private static readonly int[] Weights = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];

    /// <summary>
    /// Folds full-width to half-width (NFKC), removes all white space (ASCII, full-width U+3000, NBSP, tabs…),
    /// hyphens and dashes of any kind, and invisible format characters (zero-width space, BOM), then upper-cases.
    /// </summary>
    public static string Normalize(string? raw)
    {
        if (string.IsNullOrEmpty(raw))
        {
            return string.Empty;
        }

        var folded = raw.Normalize(NormalizationForm.FormKC);
        var sb = new StringBuilder(folded.Length);
        foreach (var c in folded)
        {
            var category = char.GetUnicodeCategory(c);
            // Pasted codes carry grouping hyphens and zero-width characters from web pages and Word.
            if (char.IsWhiteSpace(c) || category is UnicodeCategory.DashPunctuation or UnicodeCategory.Format)
            {
                continue;
            }

            sb.Append(char.ToUpperInvariant(c));
        }

        return sb.ToString();
    }

    /// <summary>Normalises, then validates length, alphabet and check character.</summary>
    public static CreditCodeResult Check(string? raw)
    {
        var n = Normalize(raw);
        if (n.Length == 0)
        {
            return new CreditCodeResult(n, false, CreditCodeError.Empty, null);
        }

        if (n.Length != Length)
        {
            return new CreditCodeResult(n, false, CreditCodeError.WrongLength, null);
        }

        char? expected = TryComputeCheckCharacter(n.AsSpan(0, Length - 1), out var e) ? e : null;
        if (FindInvalidCharacter(n) >= 0)
        {
            return new CreditCodeResult(n, false, CreditCodeError.InvalidCharacter, expected);
        }

        return expected == n[Length - 1]
            ? new CreditCodeResult(n, true, null, expected)
            : new CreditCodeResult(n, false, CreditCodeError.WrongCheckCharacter, expected);
    }

    /// <summary>True when <paramref name="raw"/> normalises to a valid code.</summary>
    public static bool IsValid(string? raw) => Check(raw).IsValid;

    /// <summary>The check character for the first 17 characters (normalised first).</summary>
    /// <exception cref="ArgumentException">Not 17 characters of the alphabet after normalisation.</exception>
    public static char ComputeCheckCharacter(string first17)
    {
        var n = Normalize(first17);
        if (n.Length != Length - 1)
        {
            throw new ArgumentException($"需要 17 位字符，实际为 {n.Length} 位", nameof(first17));
        }

        if (!TryComputeCheckCharacter(n, out var check))
        {
            var i = FindInvalidCharacter(n);
            throw new ArgumentException($"第 {i + 1} 位字符「{n[i]}」不在统一社会信用代码字符集中", nameof(first17));
        }

        return check;
    }

    /// <summary>The full 18-character code: the normalised first 17 characters plus their check character.</summary>
    public static string WithCheckCharacter(string first17)
    {
        var check = ComputeCheckCharacter(first17);
        return string.Concat(Normalize(first17), check.ToString());
    }

    /// <summary>Computes the check character of 17 already-normalised characters; false if any is outside the alphabet.</summary>
    public static bool TryComputeCheckCharacter(ReadOnlySpan<char> first17, out char check)
    {
        check = default;
        if (first17.Length != Length - 1)
        {
            return false;
        }

        var sum = 0;
        for (var i = 0; i < first17.Length; i++)
        {
            var value = Alphabet.IndexOf(first17[i], StringComparison.Ordinal);
            if (value < 0)
            {
                return false;
            }

            sum += value * Weights[i];
        }

        var c = 31 - (sum % 31);
        check = Alphabet[c == 31 ? 0 : c];
        return true;
    }

    /// <summary>Zero-based index of the first character outside the alphabet, or −1.</summary>
    internal static int FindInvalidCharacter(string normalized)
    {
        for (var i = 0; i < normalized.Length; i++)
        {
            if (!Alphabet.Contains(normalized[i], StringComparison.Ordinal))
            {
                return i;
            }
        }

        return -1;
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
    /// <summary>1-based position of the first character outside the alphabet, when <see cref="Error"/> is InvalidCharacter.</summary>
    public int? InvalidCharacterPosition =>
        Error == CreditCodeError.InvalidCharacter ? CreditCode.FindInvalidCharacter(Normalized) + 1 : null;

    /// <summary>A Chinese message for the user; for a wrong check character it reads "校验位应为 X".</summary>
    public string Message => Error switch
    {
        null => string.Empty,
        CreditCodeError.Empty => "请输入统一社会信用代码",
        CreditCodeError.WrongLength => $"统一社会信用代码应为 18 位，实际为 {Normalized.Length} 位",
        CreditCodeError.InvalidCharacter => InvalidCharacterMessage(),
        CreditCodeError.WrongCheckCharacter => $"校验位应为 {ExpectedCheckCharacter}",
        _ => "统一社会信用代码无效",
    };

    private string InvalidCharacterMessage()
    {
        var position = InvalidCharacterPosition ?? 0;
        var c = position > 0 ? Normalized[position - 1] : '?';
        var shown = char.IsControl(c) || char.IsSurrogate(c)
            ? $"U+{(int)c:X4}"
            : c.ToString();
        return $"第 {position} 位字符「{shown}」无效：统一社会信用代码只使用数字和大写字母（不含 I、O、Z、S、V）";
    }
}
