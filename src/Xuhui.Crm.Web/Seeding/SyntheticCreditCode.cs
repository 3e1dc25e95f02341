using System.Text;

namespace Xuhui.Crm.Web.Seeding;

/// <summary>
/// Fictitious but well-formed unified social credit codes: 9 (工商) 1 (企业), the registering office's division,
/// a GB 11714 organisation code with its own check character, and the GB 32100-2015 check character.
/// </summary>
internal static class SyntheticCreditCode
{
    private const string Alphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY";
    private static readonly int[] OrgWeights = [3, 7, 9, 10, 5, 8, 4, 2];

    public static string Generate(Random r, string division)
    {
        var org = new StringBuilder(9);
        if (r.Chance(0.6))
        {
            // Codes issued since the 2015 reform: MA + registration-office letter + five characters.
            org.Append("MA1");
            while (org.Length < 8)
            {
                org.Append(Alphabet[r.Next(Alphabet.Length)]);
            }
        }
        else
        {
            while (org.Length < 8)
            {
                org.Append((char)('0' + r.Next(10)));
            }
        }

        org.Append(OrgCheck(org.ToString()));
        var first17 = "91" + division + org;
        return Domain.Firms.CreditCode.WithCheckCharacter(first17);
    }

    /// <summary>GB 11714: 11 − (Σ value × weight mod 11); 10 → X, 11 → 0; letters count A = 10 … Z = 35.</summary>
    private static char OrgCheck(string body)
    {
        var sum = 0;
        for (var i = 0; i < 8; i++)
        {
            var c = body[i];
            sum += (char.IsAsciiDigit(c) ? c - '0' : c - 'A' + 10) * OrgWeights[i];
        }

        var check = 11 - (sum % 11);
        return check switch { 10 => 'X', 11 => '0', _ => (char)('0' + check) };
    }
}
