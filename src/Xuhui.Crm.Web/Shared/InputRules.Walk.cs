using System.Collections;
using System.Collections.Concurrent;
using System.Globalization;
using System.Reflection;
using System.Text.Json.Serialization;
using Xuhui.Crm.Web.Shared.Localisation;

namespace Xuhui.Crm.Web.Shared;

/// <summary>The walk over a bound object: each type's members and declarations are read once and kept.</summary>
public static partial class InputRules
{
    private static readonly ConcurrentDictionary<Type, Shape> Shapes = new();

    private static Shape ShapeOf(Type type) => Shapes.GetOrAdd(type, Describe);

    private static void Walk(object? value, ColumnMap columns, Errors errors, string prefix, bool camelCase, int depth)
    {
        if (value is null || depth > 8)
        {
            return;
        }

        var shape = ShapeOf(value.GetType());
        var entity = shape.Entity;
        foreach (var member in shape.Members)
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
                    var column = member.Column;
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
                    CheckNumber(member, Convert.ToDouble(current, CultureInfo.InvariantCulture), field, errors);
                    break;
                case Kind.Integer:
                    CheckInteger(member, Convert.ToInt64(current, CultureInfo.InvariantCulture), field, errors);
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

    private static void CheckNumber(Member member, double value, string field, Errors errors)
    {
        if (member.Range is { } range)
        {
            if (!double.IsFinite(value) || value < range.Min || value > range.Max)
            {
                errors.Add(field, RangeMessage(range));
            }
        }
        else if (!double.IsFinite(value) || value < 0 || value > MaxAmount)
        {
            errors.Add(field, Text.T("应为 0 至 1e15 之间的数值"));
        }
    }

    private static void CheckInteger(Member member, long value, string field, Errors errors)
    {
        if (member.Range is { } range)
        {
            if (value < range.Min || value > range.Max)
            {
                errors.Add(field, RangeMessage(range));
            }
        }
        else if (YearNames.Contains(member.Property.Name) && value is < 1900 or > 2100)
        {
            errors.Add(field, Text.T("年份应在 1900 至 2100 之间"));
        }
    }

    private static string RangeMessage(NumberRangeAttribute range) =>
        Text.F(range.Message, range.Min.ToString(CultureInfo.InvariantCulture), range.Max.ToString(CultureInfo.InvariantCulture));

    private static Shape Describe(Type type)
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
            var column = p.GetCustomAttribute<WritesColumnAttribute>()?.Column ?? p.Name;
            members.Add(new Member(p, jsonName, kind, Nullable.GetUnderlyingType(p.PropertyType) is not null, column, p.GetCustomAttribute<NumberRangeAttribute>()));
        }

        return new Shape(type.GetCustomAttribute<WritesToAttribute>(inherit: false)?.Entity, [.. members]);
    }

    private static Type? ElementOf(Type t) =>
        t.IsGenericType && t.GetGenericArguments() is [var element] ? element : null;

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

    /// <summary>What a type declares: the entity it writes (null: none) and its checked members.</summary>
    private sealed record Shape(Type? Entity, Member[] Members);

    private sealed record Member(PropertyInfo Property, string JsonName, Kind Kind, bool Nullable, string Column, NumberRangeAttribute? Range);
}
