using System.Collections;
using System.Collections.Concurrent;
using System.Globalization;
using System.Reflection;
using System.Text.Json.Serialization;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Metadata;
using Xuhui.Crm.Domain.Cases;
using Xuhui.Crm.Domain.Firms;
using Xuhui.Crm.Domain.Requests;
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

namespace Xuhui.Crm.Web.Shared;

/// <summary>
/// The one set of rules for what a client may write, whatever the path (JSON body, query, page form, import cell, the
/// save itself): text within the column's length from the EF model (or a bound where the column has none), no control
/// characters (line breaks and tabs only in multi-line fields, NUL never, since PostgreSQL refuses it), business dates
/// within 1900–2100, numbers finite, non-negative and bounded, years plausible.
/// </summary>
public static class InputRules
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

    public const string DateMessage = "日期应在 1900-01-01 至 2100-12-31 之间 (a date between 1900-01-01 and 2100-12-31)";

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

    /// <summary>Which entity each request body writes, so its text meets that entity's column lengths.</summary>
    private static readonly Dictionary<Type, Type> Targets = new()
    {
        [typeof(FirmDto)] = typeof(Firm),
        [typeof(ContactRequest)] = typeof(Contact),
        [typeof(StatusChangeRequest)] = typeof(FirmStatusChange),
        [typeof(TransferRequest)] = typeof(Firm),
        [typeof(CreateCaseRequest)] = typeof(Case),
        [typeof(TransitionRequest)] = typeof(CaseTransition),
        [typeof(CertificateRequest)] = typeof(Case),
        [typeof(CaseUpdateRequest)] = typeof(Case),
        [typeof(VisitRequest)] = typeof(Visit),
        [typeof(FollowUpRequest)] = typeof(FollowUpTask),
        [typeof(RaisedRequest)] = typeof(FirmRequest),
        [typeof(TaskRequest)] = typeof(FollowUpTask),
        [typeof(CompleteTaskRequest)] = typeof(FollowUpTask),
        [typeof(UserRequest)] = typeof(User),
        [typeof(RequestCreate)] = typeof(FirmRequest),
        [typeof(RequestUpdate)] = typeof(FirmRequest),
        [typeof(ProgressCreate)] = typeof(RequestProgress),
        [typeof(RequestClose)] = typeof(FirmRequest),
        [typeof(LegalPersonCountRequest)] = typeof(LegalPersonCount),
        [typeof(IndicatorValueRequest)] = typeof(IndicatorValue),
        [typeof(IndicatorTargetRequest)] = typeof(IndicatorTarget),
        [typeof(CalendarDayRequest)] = typeof(CalendarDay),
        [typeof(SnapshotRequest)] = typeof(MonthlySnapshot),
        [typeof(Features.Visits.Pages.NewModel.VisitForm)] = typeof(Visit),
        [typeof(Features.Visits.Pages.NewModel.FollowUpForm)] = typeof(FollowUpTask),
        [typeof(Features.Visits.Pages.NewModel.RaisedRequestForm)] = typeof(FirmRequest),
        [typeof(Features.Firms.Pages.FirmForm)] = typeof(Firm),
        [typeof(Features.Contacts.Pages.ContactModel.ContactForm)] = typeof(Contact),
    };

    /// <summary>Request members named otherwise than the column they land in.</summary>
    private static readonly Dictionary<(Type, string), string> Columns = new()
    {
        [(typeof(FirmDto), nameof(FirmDto.District))] = nameof(Firm.DistrictCode),
        [(typeof(TransferRequest), nameof(TransferRequest.ToDistrict))] = nameof(Firm.DistrictCode),
        [(typeof(CertificateRequest), nameof(CertificateRequest.Number))] = nameof(Case.CertificateNumber),
        [(typeof(UserRequest), nameof(UserRequest.District))] = nameof(User.DistrictCode),
        [(typeof(TaskRequest), nameof(TaskRequest.Kind))] = nameof(FollowUpTask.Kind),
        [(typeof(CompleteTaskRequest), nameof(CompleteTaskRequest.Note))] = nameof(FollowUpTask.CompletionNote),
    };

    /// <summary>Columns whose handler normalises a pasted value (separators dropped): the save holds them to the column length.</summary>
    private static readonly HashSet<(Type, string)> Normalised = [(typeof(Firm), nameof(Firm.CreditCode))];

    /// <summary>Numbers whose domain is narrower than "finite, 0 to <see cref="MaxAmount"/>".</summary>
    private static readonly Dictionary<(Type, string), (double Min, double Max, string Message)> Ranges = new()
    {
        [(typeof(IndicatorTargetRequest), nameof(IndicatorTargetRequest.Target))] =
            (MinTarget, MaxAmount, $"目标值应在 {MinTarget.ToString(CultureInfo.InvariantCulture)} 至 1e15 之间 (a target from {MinTarget.ToString(CultureInfo.InvariantCulture)} to 1e15)"),
        [(typeof(SnoozeRequest), nameof(SnoozeRequest.Days))] = (1, 366, "天数应为 1–366 (1 to 366 days)"),
        [(typeof(VisitRequest), nameof(VisitRequest.DurationMinutes))] = (0, 24 * 60, "时长应为 0–1440 分钟 (0 to 1440 minutes)"),
    };

    /// <summary>Integers that are years (a cohort, a financial year, a report year).</summary>
    private static readonly HashSet<string> YearNames = new(StringComparer.OrdinalIgnoreCase) { "Year", "Cohort" };

    private static readonly Assembly[] Ours = [typeof(InputRules).Assembly, typeof(Firm).Assembly];
    private static readonly ConcurrentDictionary<Type, Member[]> MembersByType = new();
    private static volatile ColumnMap? _columns;

    /// <summary>The entity a request shape writes (its text meets that entity's column lengths); null when none is declared.</summary>
    internal static Type? EntityWrittenBy(Type request) => Targets.GetValueOrDefault(request);

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
            return $"不能超过 {max} 个字符 (at most {max} characters)";
        }

        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            if (c == '\0')
            {
                return "不能包含空字符 NUL (no NUL characters)";
            }

            if (char.IsHighSurrogate(c) && i + 1 < value.Length && char.IsLowSurrogate(value[i + 1]))
            {
                i++;
                continue;
            }

            if (char.IsSurrogate(c))
            {
                return "包含无效的 Unicode 字符 (invalid Unicode: unpaired surrogate)";
            }

            if (!controlsAllowed && char.IsControl(c) && !(multiLine && c is '\n' or '\r' or '\t'))
            {
                return multiLine
                    ? "除换行和制表符外不能包含控制字符 (no control characters except line breaks and tabs)"
                    : "不能包含换行、制表符等控制字符 (no control characters)";
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

    /// <summary>
    /// The last line of defence, in the save: strings over their column's length or with a NUL anywhere, and in the
    /// records people write, the control-character rule and the bounds of unlimited columns. Modified rows are checked
    /// on their modified members only, so an old stored value never blocks an unrelated edit.
    /// </summary>
    public static Errors CheckEntries(IEnumerable<EntityEntry> entries)
    {
        var errors = new Errors();
        foreach (var entry in entries)
        {
            if (entry.State is not (EntityState.Added or EntityState.Modified))
            {
                continue;
            }

            var userContent = entry.Metadata.ClrType.Assembly == typeof(Firm).Assembly || entry.Metadata.ClrType == typeof(CalendarDay);
            foreach (var property in entry.Properties)
            {
                if (entry.State == EntityState.Modified && !property.IsModified)
                {
                    continue;
                }

                var name = property.Metadata.Name;
                var people = userContent && !Internal.Contains(name);
                var multi = MultiLine.Contains(name);
                var max = property.Metadata.ClrType == typeof(string) ? property.Metadata.GetMaxLength() : null;
                max ??= people ? (multi ? MultiLineMaxLength : DefaultMaxLength) : null;
                var field = CamelCase(name);
                switch (property.CurrentValue)
                {
                    case string s when TextProblem(s, max, multi, controlsAllowed: !people) is { } problem:
                        errors.Add(field, problem);
                        break;
                    case IEnumerable<string> list when people:
                        var i = 0;
                        foreach (var item in list)
                        {
                            if (TextProblem(item, DefaultMaxLength, multiLine: false) is { } itemProblem)
                            {
                                errors.Add($"{field}[{i}]", itemProblem);
                            }

                            i++;
                        }

                        break;
                    case DateOnly d when people && !IsBusinessDate(d):
                        errors.Add(field, DateMessage);
                        break;
                }
            }
        }

        return errors;
    }

    internal static string CamelCase(string name) => name.Length == 0 ? name : char.ToLowerInvariant(name[0]) + name[1..];

    private static ColumnMap Map(IModel model)
    {
        var map = _columns;
        if (map is null || !ReferenceEquals(map.Model, model))
        {
            _columns = map = new ColumnMap(model);
        }

        return map;
    }

    private static void Walk(object? value, ColumnMap columns, Errors errors, string prefix, bool camelCase, int depth)
    {
        if (value is null || depth > 8)
        {
            return;
        }

        var type = value.GetType();
        Targets.TryGetValue(type, out var entity);
        foreach (var member in MembersByType.GetOrAdd(type, Describe))
        {
            var field = prefix + (camelCase ? member.JsonName : member.Property.Name);
            var current = member.Property.GetValue(value);
            // A non-nullable date left at its default is a member the client did not send (e.g. a DTO's read-only stamps).
            if (current is null || (!member.Nullable && current is DateOnly date && date == default)
                || (!member.Nullable && current is DateTime instant && instant == default))
            {
                continue;
            }

            switch (member.Kind)
            {
                case Kind.Text:
                {
                    var column = Columns.GetValueOrDefault((type, member.Property.Name), member.Property.Name);
                    var multi = MultiLine.Contains(column);
                    var max = (entity is null || Normalised.Contains((entity, column)) ? null : columns.MaxLength(entity, column))
                        ?? (multi ? MultiLineMaxLength : DefaultMaxLength);
                    // Handlers trim what they store, so the length that counts is the trimmed one.
                    var text = (string)current;
                    if ((TextProblem(text, null, multi) ?? TextProblem(text.Trim(), max, multi)) is { } problem)
                    {
                        errors.Add(field, problem);
                    }

                    break;
                }

                case Kind.TextList:
                {
                    var i = 0;
                    foreach (var item in (IEnumerable)current)
                    {
                        if (item is string s && TextProblem(s, DefaultMaxLength, multiLine: false) is { } problem)
                        {
                            errors.Add($"{field}[{i}]", problem);
                        }

                        i++;
                    }

                    break;
                }

                case Kind.Date:
                    CheckValue(current, field, errors);
                    break;
                case Kind.Number:
                    CheckNumber(type, member.Property.Name, Convert.ToDouble(current, CultureInfo.InvariantCulture), field, errors);
                    break;
                case Kind.Integer:
                    CheckInteger(type, member.Property.Name, Convert.ToInt64(current, CultureInfo.InvariantCulture), field, errors);
                    break;
                case Kind.Nested:
                    Walk(current, columns, errors, field + ".", camelCase, depth + 1);
                    break;
                case Kind.NestedList:
                {
                    var i = 0;
                    foreach (var item in (IEnumerable)current)
                    {
                        Walk(item, columns, errors, $"{field}[{i}].", camelCase, depth + 1);
                        i++;
                    }

                    break;
                }
            }
        }
    }

    private static void CheckNumber(Type type, string name, double value, string field, Errors errors)
    {
        if (Ranges.TryGetValue((type, name), out var range))
        {
            if (!double.IsFinite(value) || value < range.Min || value > range.Max)
            {
                errors.Add(field, range.Message);
            }
        }
        else if (!double.IsFinite(value) || value < 0 || value > MaxAmount)
        {
            errors.Add(field, "应为 0 至 1e15 之间的数值 (a number from 0 to 1e15)");
        }
    }

    private static void CheckInteger(Type type, string name, long value, string field, Errors errors)
    {
        if (Ranges.TryGetValue((type, name), out var range))
        {
            if (value < range.Min || value > range.Max)
            {
                errors.Add(field, range.Message);
            }
        }
        else if (YearNames.Contains(name) && value is < 1900 or > 2100)
        {
            errors.Add(field, "年份应在 1900 至 2100 之间 (a year from 1900 to 2100)");
        }
    }

    private static Member[] Describe(Type type)
    {
        var members = new List<Member>();
        foreach (var p in type.GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            if (p.GetIndexParameters().Length > 0 || p.GetMethod is null || p.GetCustomAttribute<JsonIgnoreAttribute>() is not null)
            {
                continue;
            }

            var t = Nullable.GetUnderlyingType(p.PropertyType) ?? p.PropertyType;
            var kind = t == typeof(string) ? Kind.Text
                : t == typeof(DateOnly) || t == typeof(DateTime) ? Kind.Date
                : t == typeof(double) || t == typeof(float) || t == typeof(decimal) ? Kind.Number
                : t == typeof(int) || t == typeof(long) ? Kind.Integer
                : t.IsArray || !typeof(IEnumerable).IsAssignableFrom(t) ? (IsOurs(t) ? Kind.Nested : Kind.None)
                : ElementOf(t) is { } element ? (element == typeof(string) ? Kind.TextList : IsOurs(element) ? Kind.NestedList : Kind.None)
                : Kind.None;
            if (kind == Kind.None)
            {
                continue;
            }

            var jsonName = p.GetCustomAttribute<JsonPropertyNameAttribute>()?.Name ?? CamelCase(p.Name);
            members.Add(new Member(p, jsonName, kind, Nullable.GetUnderlyingType(p.PropertyType) is not null));
        }

        return [.. members];
    }

    private static Type? ElementOf(Type t) =>
        t.IsGenericType && t.GetGenericArguments() is [var element] ? element : null;

    /// <summary>Request shapes are our own classes; services, contexts and framework types are not walked.</summary>
    internal static bool IsOurs(Type t)
    {
        var space = t.Namespace ?? string.Empty;
        return t.IsClass && !t.IsAbstract && Array.IndexOf(Ours, t.Assembly) >= 0 && !typeof(DbContext).IsAssignableFrom(t)
            && (space.Contains(".Features", StringComparison.Ordinal) || space.Contains(".Pages", StringComparison.Ordinal));
    }

    private enum Kind
    {
        None,
        Text,
        TextList,
        Date,
        Number,
        Integer,
        Nested,
        NestedList,
    }

    private sealed record Member(PropertyInfo Property, string JsonName, Kind Kind, bool Nullable);

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
public sealed class InputRejectedException(Errors errors) : Exception("请求数据有误 (invalid request)")
{
    public Errors Errors { get; } = errors;
}
