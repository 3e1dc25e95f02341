using Xuhui.Crm.Web.Shared;
using Xuhui.Crm.Web.Shared.Localisation;

namespace Xuhui.Crm.Web.Features.Contacts;

/// <summary>
/// The one rule set for a contact's fields, whichever way the contact arrives: the contacts API answers its errors
/// as a 400, the spreadsheet import reports them as row errors of the cells they came from. Errors are keyed by the
/// API's JSON field names.
/// </summary>
public static class ContactRules
{
    public const int NameMax = 100;
    public const int PhoneMax = 32;
    public const int EmailMax = 200;

    public static Errors Validate(ContactRequest r)
    {
        var errors = new Errors();
        if (string.IsNullOrWhiteSpace(r.Name))
        {
            errors.Add("name", Text.T("联系人姓名必填"));
        }
        else if (r.Name.Trim().Length > NameMax)
        {
            errors.Add("name", Text.F("联系人姓名不超过{0}字", NameMax));
        }

        if (!string.IsNullOrWhiteSpace(r.Email) && !IsEmail(r.Email.Trim()))
        {
            errors.Add("email", Text.T("邮箱格式无效"));
        }

        if (!string.IsNullOrWhiteSpace(r.Phone) && !IsPhone(r.Phone.Trim()))
        {
            errors.Add("phone", Text.T("电话号码格式无效"));
        }

        return errors;
    }

    /// <summary>Digits with the usual separators (+, -, spaces, parentheses), at least three digits.</summary>
    public static bool IsPhone(string phone) =>
        phone.Length <= PhoneMax
        && phone.All(ch => char.IsAsciiDigit(ch) || ch is '+' or '-' or ' ' or '(' or ')')
        && phone.Count(char.IsAsciiDigit) >= 3;

    /// <summary>
    /// One @ between a non-empty local part and a domain of letters, digits, hyphens and dots; no spaces, control
    /// characters or markup. Deliberately not the full RFC grammar: quoted local parts are not worth accepting here.
    /// </summary>
    public static bool IsEmail(string email)
    {
        if (email.Length > EmailMax)
        {
            return false;
        }

        var at = email.IndexOf('@', StringComparison.Ordinal);
        if (at <= 0 || at == email.Length - 1 || email.IndexOf('@', at + 1) >= 0)
        {
            return false;
        }

        var local = email.AsSpan(0, at);
        var domain = email.AsSpan(at + 1);
        foreach (var ch in local)
        {
            if (char.IsWhiteSpace(ch) || char.IsControl(ch) || ch is '<' or '>' or '(' or ')' or '[' or ']' or ',' or ';' or ':' or '"' or '\\')
            {
                return false;
            }
        }

        if (domain[0] is '.' or '-' || domain[^1] is '.' or '-' || domain.Contains("..", StringComparison.Ordinal))
        {
            return false;
        }

        foreach (var ch in domain)
        {
            if (!(char.IsLetterOrDigit(ch) || ch is '-' or '.'))
            {
                return false;
            }
        }

        return local[0] != '.' && local[^1] != '.' && !local.Contains("..", StringComparison.Ordinal);
    }
}
