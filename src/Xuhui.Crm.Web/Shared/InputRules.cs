using System.Reflection;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using Xuhui.Crm.Domain.Firms;
using Xuhui.Crm.Domain.Targets;
using Xuhui.Crm.Domain.Users;
using Xuhui.Crm.Domain.Visits;
using Xuhui.Crm.Web.Features.Calendar;
using Xuhui.Crm.Web.Features.Cases;
using Xuhui.Crm.Web.Features.Firms;
using Xuhui.Crm.Web.Features.Contacts;
using Xuhui.Crm.Web.Features.Search;
using Xuhui.Crm.Web.Features.Reminders;
using Xuhui.Crm.Web.Features.Reports;
using Xuhui.Crm.Web.Features.Requests;
using Xuhui.Crm.Web.Features.Targets;
using Xuhui.Crm.Web.Features.Tasks;
using Xuhui.Crm.Web.Features.Users;
using Xuhui.Crm.Web.Features.Visits;
using Xuhui.Crm.Web.Shared.Firms;
using Xuhui.Crm.Web.Shared.Localisation;

namespace Xuhui.Crm.Web.Shared;

/// <summary>
/// The one set of rules for what a client may write, whatever the path (JSON body, query, page form, import cell, the
/// save itself): text within the column's length from the EF model (or a bound where the column has none), no control
/// characters (line breaks and tabs only in multi-line fields, NUL never, since PostgreSQL refuses it), business dates
/// within 1900–2100, numbers finite, non-negative and bounded, years plausible. Which entity a request shape writes,
/// and its narrower ranges, the features declare on their own types (<see cref="WritesToAttribute"/>,
/// <see cref="WritesColumnAttribute"/>, <see cref="NumberRangeAttribute"/>).
/// </summary>
public static partial class InputRules
{
    public static readonly DateOnly MinDate = new(1900, 1, 1);
    public static readonly DateOnly MaxDate = new(2100, 12, 31);

    /// <summary>Single-line text whose column has no length of its own.</summary>
    public const int DefaultMaxLength = 500;

    /// <summary>Multi-line text (summaries, notes, descriptions) whose column has no length of its own.</summary>
    public const int MultiLineMaxLength = 20_000;

    /// <summary>Amounts, counts and indicator values: above this they are typing errors, not figures.</summary>
    public const double MaxAmount = 1e15;

    /// <summary>The smallest indicator target: a smaller one turns any value into an absurd percentage.</summary>
    public const double MinTarget = 0.001;

    public static string DateMessage => Text.T("日期应在 1900-01-01 至 2100-12-31 之间");

    /// <summary>Columns meant to hold several lines: they alone may carry line breaks and tabs.</summary>
    private static readonly HashSet<string> MultiLine = new(StringComparer.OrdinalIgnoreCase)
    {
        "Summary", "Requests", "Note", "Notes", "CompletionNote", "Description", "Resolution", "Reason", "CreditCodeOverrideReason",
    };

    /// <summary>Strings the service writes itself (hashes, stamps, derived text, payloads): only NUL and column lengths apply.</summary>
    private static readonly HashSet<string> Internal = new(StringComparer.Ordinal)
    {
        nameof(Firm.SearchText), nameof(User.PasswordHash), nameof(User.SecurityStamp), nameof(AccessToken.TokenHash), nameof(MonthlySnapshot.Payload),
    };

    /// <summary>Columns whose handler normalises a pasted value (separators dropped): the save holds them to the column length.</summary>
    private static readonly HashSet<(Type, string)> Normalised = [(typeof(Firm), nameof(Firm.CreditCode))];

    /// <summary>Integers that are years (a cohort, a financial year, a report year).</summary>
    private static readonly HashSet<string> YearNames = new(StringComparer.OrdinalIgnoreCase) { "Year", "Cohort" };

    private static readonly Assembly[] Ours = [typeof(InputRules).Assembly, typeof(Firm).Assembly];
    private static volatile ColumnMap? _columns;

    /// <summary>The entity a request shape writes (its text meets that entity's column lengths); null when none is declared.</summary>
    internal static Type? EntityWrittenBy(Type request) => ShapeOf(request).Entity;

    public static bool IsBusinessDate(DateOnly d) => d >= MinDate && d <= MaxDate;

    public static bool IsBusinessDate(DateTime t) => t >= MinDate.ToDateTime(TimeOnly.MinValue) && t < MaxDate.AddDays(1).ToDateTime(TimeOnly.MinValue);

    /// <summary>Adds an error when a date lies outside 1900-01-01..2100-12-31; true when it is fine (or absent).</summary>
    public static bool CheckDate(Errors errors, string field, DateOnly? value)
    {
        if (value is { } d && !IsBusinessDate(d))
        {
            errors.Add(field, DateMessage);
            return false;
        }

        return true;
    }

    /// <summary>Why a text value is refused, or null. <paramref name="maxLength"/> null: no length rule.</summary>
    public static string? TextProblem(string value, int? maxLength, bool multiLine, bool controlsAllowed = false)
    {
        if (maxLength is { } max && value.Length > max)
        {
            return Text.F("不能超过 {0} 个字符", max);
        }

        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            if (c == '\0')
            {
                return Text.T("不能包含空字符 NUL");
            }

            if (char.IsHighSurrogate(c) && i + 1 < value.Length && char.IsLowSurrogate(value[i + 1]))
            {
                i++;
                continue;
            }

            if (char.IsSurrogate(c))
            {
                return Text.T("包含无效的 Unicode 字符");
            }

            if (!controlsAllowed && char.IsControl(c) && !(multiLine && c is '\n' or '\r' or '\t'))
            {
                return multiLine
                    ? Text.T("除换行和制表符外不能包含控制字符")
                    : Text.T("不能包含换行、制表符等控制字符");
            }
        }

        return null;
    }

    /// <summary>The rule of one column: its length from the model, else the bound for its kind; multi-line by its name.</summary>
    public static (int MaxLength, bool MultiLine) ColumnRule(IModel model, Type entity, string property)
    {
        var multi = MultiLine.Contains(property);
        var max = Map(model).MaxLength(entity, property);
        return (max ?? (multi ? MultiLineMaxLength : DefaultMaxLength), multi);
    }

    /// <summary>Every string, date and number of a bound object (and the objects and lists inside it).</summary>
    public static void Check(object? value, IModel model, Errors errors, string prefix = "", bool camelCase = true) =>
        Walk(value, Map(model), errors, prefix, camelCase, 0);

    /// <summary>A lone query or route value: its name as the client sent it.</summary>
    public static void CheckValue(object? value, string field, Errors errors)
    {
        switch (value)
        {
            case DateOnly d when !IsBusinessDate(d):
                errors.Add(field, DateMessage);
                break;
            case DateTime t when !IsBusinessDate(t):
                errors.Add(field, DateMessage);
                break;
            case string s when TextProblem(s, DefaultMaxLength, multiLine: false) is { } problem:
                errors.Add(field, problem);
                break;
        }
    }

    internal static string CamelCase(string name) => name.Length == 0 ? name : char.ToLowerInvariant(name[0]) + name[1..];

    /// <summary>Request shapes are our own classes; services, contexts and framework types are not walked.</summary>
    internal static bool IsOurs(Type t)
    {
        var space = t.Namespace ?? string.Empty;
        return t.IsClass && !t.IsAbstract && Array.IndexOf(Ours, t.Assembly) >= 0 && !typeof(DbContext).IsAssignableFrom(t)
            && (space.Contains(".Features", StringComparison.Ordinal) || space.Contains(".Pages", StringComparison.Ordinal));
    }

    private static ColumnMap Map(IModel model)
    {
        var map = _columns;
        if (map is null || !ReferenceEquals(map.Model, model))
        {
            _columns = map = new ColumnMap(model);
        }

        return map;
    }

    private sealed class ColumnMap
    {
        private readonly Dictionary<(Type, string), int?> _lengths = [];

        public ColumnMap(IModel model)
        {
            Model = model;
            foreach (var entity in model.GetEntityTypes())
            {
                foreach (var property in entity.GetProperties())
                {
                    if (property.ClrType == typeof(string))
                    {
                        _lengths[(entity.ClrType, property.Name)] = property.GetMaxLength();
                    }
                }
            }
        }

        public IModel Model { get; }

        public int? MaxLength(Type entity, string property) => _lengths.GetValueOrDefault((entity, property));
    }
}

/// <summary>A save refused by <see cref="InputRules.CheckEntries"/>: answered as a 400 naming the fields.</summary>
public sealed class InputRejectedException(Errors errors) : Exception(Text.T("请求数据有误"))
{
    public Errors Errors { get; } = errors;
}
