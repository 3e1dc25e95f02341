using System.Reflection;
using Microsoft.AspNetCore.Mvc;
using Xuhui.Crm.Web.Shared.Localisation;

namespace Xuhui.Crm.Web.Shared;

/// <summary>
/// The codes a list filter may name (programme, stage, zone, industry, request category, department), supplied by the
/// feature that owns the reference data, so these rules know no feature type.
/// </summary>
public interface IFilterCodes
{
    /// <summary>The allowed codes of one filter, or null when the name is none of its filters; stages depend on the programme asked for.</summary>
    IEnumerable<string>? Allowed(string filter, string? program);
}

/// <summary>
/// List filters and paging, by the query parameter's name, for every endpoint that takes them: a filter naming no known
/// programme, stage, zone, industry, request category or department is a 400 listing the allowed codes (as tier and
/// status are), a page above <see cref="Paging.MaxPage"/> and a limit or take below 1 are 400s. Where each named value
/// comes from (a lone argument or a property of an [AsParameters] one) is found once per endpoint.
/// </summary>
internal sealed class QueryRules
{
    /// <summary>The list filters whose codes <see cref="IFilterCodes"/> supplies, in the order their errors are listed.</summary>
    private static readonly string[] Filters = ["program", "stage", "zone", "industry", "category", "department"];

    private static readonly string[] Names = ["page", "limit", "take", .. Filters];

    private readonly Dictionary<string, Func<IList<object?>, object?>> _values;

    private QueryRules(Dictionary<string, Func<IList<object?>, object?>> values) => _values = values;

    /// <summary>The rules of one endpoint, or null when it takes none of the names.</summary>
    public static QueryRules? For(List<(int Index, string Name, bool Walk)> checks, ParameterInfo[] parameters)
    {
        // Later arguments win, as query names are matched without regard to case.
        var values = new Dictionary<string, Func<IList<object?>, object?>>(StringComparer.OrdinalIgnoreCase);
        foreach (var (index, name, walk) in checks)
        {
            if (!walk)
            {
                values[name] = args => args[index];
            }
            else if (parameters[index].GetCustomAttribute<AsParametersAttribute>() is not null)
            {
                var type = Nullable.GetUnderlyingType(parameters[index].ParameterType) ?? parameters[index].ParameterType;
                foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance))
                {
                    values[InputRules.CamelCase(property.Name)] = args => args[index] is { } argument ? property.GetValue(argument) : null;
                }
            }
        }

        var known = values.Where(v => Names.Contains(v.Key, StringComparer.OrdinalIgnoreCase)).ToDictionary(v => v.Key, v => v.Value, StringComparer.OrdinalIgnoreCase);
        return known.Count == 0 ? null : new QueryRules(known);
    }

    private object? Value(IList<object?> args, string name) => _values.TryGetValue(name, out var read) ? read(args) : null;

    public void Check(EndpointFilterInvocationContext context, Errors errors)
    {
        var args = context.Arguments;
        if (Value(args, "page") is int p && p > Paging.MaxPage)
        {
            errors.Add("page", Text.F("页码为 1–{0}", Paging.MaxPage));
        }

        foreach (var name in (string[])["limit", "take"])
        {
            if (Value(args, name) is int and < 1)
            {
                errors.Add(name, Text.T("应为正整数"));
            }
        }

        if (!HttpMethods.IsGet(context.HttpContext.Request.Method))
        {
            return;
        }

        // The codes come from the feature that owns the reference data; a host without one checks paging only.
        if (context.HttpContext.RequestServices.GetService<IFilterCodes>() is not { } codes)
        {
            return;
        }

        var program = Value(args, "program") as string;
        foreach (var filter in Filters)
        {
            if (Value(args, filter) is string code && codes.Allowed(filter, program) is { } allowed)
            {
                Known(errors, filter, code, allowed);
            }
        }
    }

    private static void Known(Errors errors, string name, string code, IEnumerable<string> allowed)
    {
        var codes = allowed.ToList();
        if (!codes.Contains(code, StringComparer.Ordinal))
        {
            errors.Add(name, Messages.OneOf(string.Join(", ", codes)));
        }
    }
}
