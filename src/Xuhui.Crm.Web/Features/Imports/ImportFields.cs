using Xuhui.Crm.Domain.Firms;
using Xuhui.Crm.Web.Data;
using Xuhui.Crm.Web.Features.Search;

namespace Xuhui.Crm.Web.Features.Imports;

/// <summary>What a column of an imported sheet can hold; a mapping names these (camelCase) or "ignore".</summary>
public enum ImportField
{
    Name,
    CreditCode,
    EnglishName,
    Address,
    EstablishedOn,
    Zone,
    Industry,
    Ownership,
    Headcount,
    RdHeadcount,
    InventionPatents,
    CoreIpCount,
    TechField,
    Tier,
    ContactName,
    ContactTitle,
    ContactPhone,
    ContactEmail,
    Program,
    Stage,
    CertificateNumber,
    CertificateIssuedOn,
}

/// <summary>How a plain firm field's cell is read: by the type of the firm property it lands in.</summary>
public enum ImportKind
{
    Text,
    WholeNumber,
    Date,
}

/// <summary>Recognises the usual Chinese and English headers of the district's sheets.</summary>
public static class ImportFields
{
    public const string Ignore = "ignore";

    private static readonly Dictionary<ImportField, string[]> Aliases = new()
    {
        [ImportField.Name] = ["企业名称", "公司名称", "单位名称", "企业全称", "名称", "name", "firm name", "company name", "company"],
        [ImportField.CreditCode] = ["统一社会信用代码", "信用代码", "社会信用代码", "统一代码", "credit code", "unified social credit code", "uscc"],
        [ImportField.EnglishName] = ["英文名称", "英文名", "english name"],
        [ImportField.Address] = ["注册地址", "地址", "企业地址", "经营地址", "办公地址", "address", "registered address"],
        [ImportField.EstablishedOn] = ["成立日期", "成立时间", "注册日期", "established", "established on", "date of establishment", "founded"],
        [ImportField.Zone] = ["所属街道/园区", "所属街道园区", "所属园区", "所属街道", "街道/园区", "园区", "功能区", "所属功能区", "zone", "park"],
        [ImportField.Industry] = ["行业", "所属行业", "行业类别", "产业", "industry"],
        [ImportField.Ownership] = ["企业性质", "企业类型", "所有制", "ownership"],
        [ImportField.Headcount] = ["职工总数", "从业人数", "员工人数", "职工人数", "员工", "headcount", "employees"],
        [ImportField.RdHeadcount] = ["研发人员数", "研发人员", "科技人员数", "r&d headcount", "rd headcount"],
        [ImportField.InventionPatents] = ["发明专利", "发明专利数", "有效发明专利", "invention patents"],
        [ImportField.CoreIpCount] = ["核心知识产权", "知识产权数", "core ip", "core ip count"],
        [ImportField.TechField] = ["技术领域", "tech field"],
        [ImportField.Tier] = ["分级", "企业分级", "重点企业", "tier"],
        [ImportField.ContactName] = ["联系人", "联系人姓名", "contact", "contact name"],
        [ImportField.ContactTitle] = ["职务", "联系人职务", "title", "contact title"],
        [ImportField.ContactPhone] = ["联系电话", "电话", "手机", "联系人电话", "联系人手机", "phone", "contact phone", "mobile"],
        [ImportField.ContactEmail] = ["邮箱", "电子邮箱", "联系人邮箱", "email", "e-mail", "contact email"],
        [ImportField.Program] = ["培育项目", "项目", "program", "programme"],
        [ImportField.Stage] = ["阶段", "培育阶段", "stage"],
        [ImportField.CertificateNumber] = ["证书编号", "证书号", "certificate number", "certificate no"],
        [ImportField.CertificateIssuedOn] = ["发证日期", "认定日期", "certificate issued on", "issued on"],
    };

    private static readonly Dictionary<string, ImportField> ByHeader = Aliases
        .SelectMany(a => a.Value.Select(h => (Key: Key(h), Field: a.Key)))
        .DistinctBy(x => x.Key)
        .ToDictionary(x => x.Key, x => x.Field);

    /// <summary>The firm fields read by a rule of their own in <see cref="ImportValues"/> rather than by their type.</summary>
    private static readonly HashSet<ImportField> OwnRules =
        [ImportField.CreditCode, ImportField.Zone, ImportField.Industry, ImportField.Ownership, ImportField.Tier, ImportField.TechField];

    private static readonly Dictionary<ImportField, ImportKind> Kinds = Enum.GetValues<ImportField>()
        .Where(f => IsFirmField(f) && !OwnRules.Contains(f))
        .Select(f => (Field: f, Kind: KindOfType(typeof(Firm).GetProperty(f.ToString())!.PropertyType)))
        .Where(x => x.Kind is not null)
        .ToDictionary(x => x.Field, x => x.Kind!.Value);

    public static bool IsFirmField(ImportField f) => f < ImportField.ContactName;

    /// <summary>How a plain firm field is read (null: a special field, or not a firm field).</summary>
    public static ImportKind? KindOf(ImportField f) => Kinds.TryGetValue(f, out var kind) ? kind : null;

    /// <summary>The plain firm fields of <paramref name="kind"/>.</summary>
    public static IEnumerable<ImportField> OfKind(ImportKind kind) => Kinds.Where(k => k.Value == kind).Select(k => k.Key);

    /// <summary>Normalised header text: NFKC, no white space, lower case, without a trailing "*" or "（必填）".</summary>
    public static string Key(string? header)
    {
        var k = SearchText.Normalize(header).Replace("*", string.Empty, StringComparison.Ordinal)
            .Replace("(必填)", string.Empty, StringComparison.Ordinal).Replace("(选填)", string.Empty, StringComparison.Ordinal);
        return k.Replace("_", " ", StringComparison.Ordinal);
    }

    public static ImportField? Recognise(string? header) =>
        ByHeader.TryGetValue(Key(header), out var f) ? f : null;

    /// <summary>A mapping target: a field name (camelCase or PascalCase) or "ignore"; null when neither.</summary>
    public static bool TryParseTarget(string? target, out ImportField? field)
    {
        field = null;
        if (string.Equals(target?.Trim(), Ignore, StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        if (Enum.TryParse<ImportField>(target?.Trim(), ignoreCase: true, out var f) && Enum.IsDefined(f))
        {
            field = f;
            return true;
        }

        return false;
    }

    private static ImportKind? KindOfType(Type type) => (Nullable.GetUnderlyingType(type) ?? type) switch
    {
        var t when t == typeof(string) => ImportKind.Text,
        var t when t == typeof(int) => ImportKind.WholeNumber,
        var t when t == typeof(DateOnly) => ImportKind.Date,
        _ => null,
    };

    public static string Camel(ImportField f) => char.ToLowerInvariant(f.ToString()[0]) + f.ToString()[1..];

    /// <summary>Spreadsheet column letters: 0 → A, 26 → AA.</summary>
    public static string ColumnLetter(int index)
    {
        var s = string.Empty;
        for (var i = index + 1; i > 0; i = (i - 1) / 26)
        {
            s = (char)('A' + ((i - 1) % 26)) + s;
        }

        return s;
    }
}
