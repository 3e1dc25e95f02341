using System.Globalization;
using Xuhui.Crm.Domain.Firms;
using Xuhui.Crm.Domain.Programs;
using Xuhui.Crm.Web.Data;
using Xuhui.Crm.Web.Features.Search;
using Xuhui.Crm.Web.Features.Reference;
using Xuhui.Crm.Web.Shared;
using Xuhui.Crm.Web.Shared.Localisation;

namespace Xuhui.Crm.Web.Features.Imports;

/// <summary>Turns cell text into field values: dates in the usual Chinese forms, zone and industry names into codes.</summary>
/// <param name="district">The deployment's district: a zone is matched among its zones (imports run in single-district deployments only).</param>
/// <param name="model">The EF model: text cells are held to the length of the column they land in (none: the general bound).</param>
public sealed class ImportValues(ReferenceData reference, string district, Microsoft.EntityFrameworkCore.Metadata.IModel? model = null)
{
    /// <summary>The column each text field lands in, for its length rule.</summary>
    private static readonly Dictionary<ImportField, (Type Entity, string Property)> TextColumns = new(
        ImportFields.OfKind(ImportKind.Text).Select(f => KeyValuePair.Create(f, (typeof(Firm), f.ToString()))))
    {
        [ImportField.CreditCode] = (typeof(Firm), nameof(Firm.CreditCode)),
        [ImportField.TechField] = (typeof(Firm), nameof(Firm.TechField)),
        [ImportField.ContactName] = (typeof(Contact), nameof(Contact.Name)),
        [ImportField.ContactTitle] = (typeof(Contact), nameof(Contact.Title)),
        [ImportField.ContactPhone] = (typeof(Contact), nameof(Contact.Phone)),
        [ImportField.ContactEmail] = (typeof(Contact), nameof(Contact.Email)),
        [ImportField.CertificateNumber] = (typeof(Domain.Cases.Case), nameof(Domain.Cases.Case.CertificateNumber)),
    };

    private static readonly string[] DateFormats =
    [
        "yyyy-M-d", "yyyy/M/d", "yyyy.M.d", "yyyy年M月d日", "yyyyMMdd", "yyyy-M-d H:mm:ss", "yyyy/M/d H:mm:ss", "yyyy/M/d H:mm", "yyyy-MM-ddTHH:mm:ss",
    ];

    private static readonly Dictionary<string, Ownership> Ownerships = new(StringComparer.OrdinalIgnoreCase)
    {
        ["内资民营"] = Ownership.DomesticPrivate, ["民营"] = Ownership.DomesticPrivate, ["内资"] = Ownership.DomesticPrivate, ["私营"] = Ownership.DomesticPrivate,
        ["国有"] = Ownership.StateOwned, ["国企"] = Ownership.StateOwned, ["国有企业"] = Ownership.StateOwned,
        ["外资"] = Ownership.ForeignInvested, ["外商投资"] = Ownership.ForeignInvested, ["外资企业"] = Ownership.ForeignInvested,
        ["港澳台资"] = Ownership.HongKongMacaoTaiwan, ["港澳台"] = Ownership.HongKongMacaoTaiwan,
    };

    private static readonly Dictionary<string, FirmTier> Tiers = new(StringComparer.OrdinalIgnoreCase)
    {
        ["重点"] = FirmTier.Key, ["重点企业"] = FirmTier.Key, ["是"] = FirmTier.Key, ["key"] = FirmTier.Key, ["y"] = FirmTier.Key, ["yes"] = FirmTier.Key,
        ["一般"] = FirmTier.Regular, ["普通"] = FirmTier.Regular, ["否"] = FirmTier.Regular, ["regular"] = FirmTier.Regular, ["n"] = FirmTier.Regular, ["no"] = FirmTier.Regular,
    };

    private readonly Dictionary<(ImportField, string, string?), (object? Value, string? Error)> _memo = [];

    /// <summary>
    /// The value of <paramref name="field"/> for <paramref name="text"/> (already trimmed and non-empty), or an error
    /// message. Reference lookups and dates repeat down a sheet: their answers are remembered (Unicode normalisation is the cost).
    /// </summary>
    public object? Convert(ImportField field, string text, string? program, out string? error)
    {
        var value = ConvertChecked(field, text, program, out error);
        if (error is null && value is string s)
        {
            var (max, multi) = TextColumns.TryGetValue(field, out var column) && model is not null
                ? InputRules.ColumnRule(model, column.Entity, column.Property)
                : (InputRules.DefaultMaxLength, false);
            error = InputRules.TextProblem(s, max, multi);
            return error is null ? value : null;
        }

        return value;
    }

    private object? ConvertChecked(ImportField field, string text, string? program, out string? error)
    {
        if (field is ImportField.Zone or ImportField.Industry or ImportField.Ownership or ImportField.Tier or ImportField.Program
            or ImportField.Stage or ImportField.CertificateIssuedOn or ImportField.TechField || ImportFields.KindOf(field) is ImportKind.Date)
        {
            var key = (field, text, field == ImportField.Stage ? program : null);
            if (!_memo.TryGetValue(key, out var known))
            {
                known.Value = ConvertOnce(field, text, program, out known.Error);
                if (_memo.Count < 100_000)
                {
                    _memo[key] = known;
                }
            }

            error = known.Error;
            return known.Value;
        }

        return ConvertOnce(field, text, program, out error);
    }

    private object? ConvertOnce(ImportField field, string text, string? program, out string? error)
    {
        error = null;
        switch (field)
        {
            case ImportField.CreditCode:
                return CreditCode.Normalize(text);
            case ImportField.ContactName:
            case ImportField.ContactTitle:
            case ImportField.ContactEmail:
            case ImportField.CertificateNumber:
                return Collapse(text);
            case ImportField.ContactPhone:
                return Collapse(text.Normalize(System.Text.NormalizationForm.FormKC));
            case ImportField.TechField:
                return text.Normalize(System.Text.NormalizationForm.FormKC).Trim();
            case ImportField.CertificateIssuedOn:
                return ReadDate(text, out error);
            case ImportField.Zone:
                var zone = Match(text, reference.ZonesOf(district).Select(z => (z.Code, z.NameZh, z.NameEn)));
                if (zone is null)
                {
                    error = Text.F("未知功能区「{0}」，应为：{1}", text, List(reference.ZonesOf(district).Select(z => (z.NameZh, z.NameEn))));
                }

                return zone;
            case ImportField.Industry:
                var industry = Match(text, reference.File.Industries.Select(i => (i.Code, i.NameZh, i.NameEn)));
                if (industry is null)
                {
                    error = Text.F("未知行业「{0}」，应为：{1}", text, List(reference.File.Industries.Select(i => (i.NameZh, i.NameEn))));
                }

                return industry;
            case ImportField.Ownership:
                if (Ownerships.TryGetValue(text, out var o) || Enum.TryParse(text, true, out o))
                {
                    return o;
                }

                error = Text.F("未知企业性质「{0}」，应为：内资民营、国有、外资、港澳台资", text);
                return null;
            case ImportField.Tier:
                if (Tiers.TryGetValue(text, out var t))
                {
                    return t;
                }

                error = Text.F("分级应为「重点」或「一般」，实际为「{0}」", text);
                return null;
            case ImportField.Program:
                var p = Match(text, reference.Programs.Programs.Select(x => (x.Code, x.NameZh, x.NameEn)));
                if (p is null)
                {
                    error = Text.F("未知培育项目「{0}」，应为：{1}", text, List(reference.Programs.Programs.Select(x => (x.NameZh, x.NameEn))));
                }

                return p;
            case ImportField.Stage:
                var definition = reference.Programs.Find(program);
                if (definition is null)
                {
                    error = Text.T("填写阶段时须同时填写培育项目");
                    return null;
                }

                var stage = Match(text, definition.Stages.Select(s => (s.Code, s.NameZh, s.NameEn)));
                if (stage is null)
                {
                    error = Text.F("「{0}」没有阶段「{1}」，应为：{2}", Text.IsEnglish && !string.IsNullOrEmpty(definition.NameEn) ? definition.NameEn : definition.NameZh, text, List(definition.Stages.Select(s => (s.NameZh, s.NameEn))));
                }

                return stage;
            default:
                return ImportFields.KindOf(field) switch
                {
                    ImportKind.Text => Collapse(text),
                    ImportKind.WholeNumber => ReadInteger(text, out error),
                    ImportKind.Date => ReadDate(text, out error),
                    _ => text,
                };
        }
    }

    private static DateOnly? ReadDate(string text, out string? error)
    {
        error = null;
        if (TryDate(text, out var date))
        {
            return date;
        }

        error = Text.F("无法识别的日期「{0}」，应如 2021-03-15，且在 1900–2100 年之间", text);
        return null;
    }

    private static int? ReadInteger(string text, out string? error)
    {
        error = null;
        var n = text.Normalize(System.Text.NormalizationForm.FormKC).Replace(",", string.Empty, StringComparison.Ordinal).Trim();
        if (decimal.TryParse(n, NumberStyles.Number, CultureInfo.InvariantCulture, out var d) && d == decimal.Truncate(d) && d is >= int.MinValue and <= int.MaxValue)
        {
            return (int)d;
        }

        error = Text.F("应为整数，实际为「{0}」", text);
        return null;
    }

    public static bool TryDate(string text, out DateOnly date)
    {
        var t = text.Normalize(System.Text.NormalizationForm.FormKC).Trim();
        if (DateTime.TryParseExact(t, DateFormats, CultureInfo.InvariantCulture, DateTimeStyles.None, out var dt))
        {
            date = DateOnly.FromDateTime(dt);
            return InputRules.IsBusinessDate(date);
        }

        // A date cell without a date format arrives as its serial number.
        if (double.TryParse(t, NumberStyles.Float, CultureInfo.InvariantCulture, out var serial) && serial is >= 1 and < 2958466 && t.Length <= 12)
        {
            date = DateOnly.FromDateTime(DateTime.FromOADate(serial));
            return InputRules.IsBusinessDate(date);
        }

        date = default;
        return false;
    }

    /// <summary>Code, Chinese or English name (normalised: full-width, spaces, case), or a Chinese name's unique prefix.</summary>
    /// <summary>The allowed names, listed in the caller's language.</summary>
    private static string List(IEnumerable<(string NameZh, string NameEn)> names) => Text.IsEnglish
        ? string.Join(", ", names.Select(n => string.IsNullOrEmpty(n.NameEn) ? n.NameZh : n.NameEn))
        : string.Join("、", names.Select(n => n.NameZh));

    private static string? Match(string text, IEnumerable<(string Code, string NameZh, string NameEn)> options)
    {
        var key = SearchText.Normalize(text);
        var list = options.ToList();
        var exact = list.FirstOrDefault(o => SearchText.Normalize(o.Code) == key || SearchText.Normalize(o.NameZh) == key || SearchText.Normalize(o.NameEn) == key);
        if (exact.Code is not null)
        {
            return exact.Code;
        }

        var prefixed = list.Where(o => key.Length >= 2 && SearchText.Normalize(o.NameZh).StartsWith(key, StringComparison.Ordinal)).ToList();
        return prefixed.Count == 1 ? prefixed[0].Code : null;
    }

    private static string Collapse(string text) => string.Join(' ', text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));

    internal static ProgramDefinition? Program(ReferenceData reference, string? code) => reference.Programs.Find(code);
}
