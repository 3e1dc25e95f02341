using System.Reflection;
using System.Reflection.Emit;

namespace Xuhui.Crm.Web.Tests.Architecture;

/// <summary>
/// Which types a type uses: its signatures (base, interfaces, fields, properties, parameters, attributes) and every
/// type, method and field its IL names. Nested and compiler-generated types (lambdas, async state machines) count
/// as their outermost declaring type, so a dependency hidden in a lambda is still seen.
/// </summary>
internal static class TypeDependencies
{
    private static readonly Dictionary<short, OpCode> OpCodesByValue = typeof(OpCodes)
        .GetFields(BindingFlags.Public | BindingFlags.Static)
        .Select(f => (OpCode)f.GetValue(null)!)
        .ToDictionary(o => o.Value);

    private const BindingFlags Everything =
        BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly;

    /// <summary>The outermost declaring type: nested helpers belong to the type that declares them.</summary>
    public static Type Owner(Type type)
    {
        while (type.DeclaringType is { } outer)
        {
            type = outer;
        }

        return type;
    }

    /// <summary>Every type of <paramref name="assembly"/> that <paramref name="type"/> (with its nested types) uses.</summary>
    public static HashSet<Type> Of(Type type, Assembly assembly)
    {
        var found = new HashSet<Type>();
        foreach (var t in WithNested(type))
        {
            Collect(t, found, assembly);
        }

        found.Remove(type);
        return found;
    }

    private static IEnumerable<Type> WithNested(Type type)
    {
        yield return type;
        foreach (var nested in type.GetNestedTypes(Everything).SelectMany(WithNested))
        {
            yield return nested;
        }
    }

    private static void Collect(Type t, HashSet<Type> found, Assembly assembly)
    {
        void Add(Type? x)
        {
            if (x is null)
            {
                return;
            }

            if (x.HasElementType)
            {
                Add(x.GetElementType());
                return;
            }

            if (x.IsGenericType && !x.IsGenericTypeDefinition)
            {
                foreach (var arg in x.GetGenericArguments())
                {
                    Add(arg);
                }

                x = x.GetGenericTypeDefinition();
            }

            if (x.IsGenericParameter || x.Assembly != assembly)
            {
                return;
            }

            found.Add(Owner(x));
        }

        Add(t.BaseType);
        foreach (var i in t.GetInterfaces())
        {
            Add(i);
        }

        foreach (var a in t.CustomAttributes)
        {
            Add(a.AttributeType);
        }

        foreach (var f in t.GetFields(Everything))
        {
            Add(f.FieldType);
        }

        foreach (var p in t.GetProperties(Everything))
        {
            Add(p.PropertyType);
        }

        foreach (var m in t.GetMethods(Everything).Cast<MethodBase>().Concat(t.GetConstructors(Everything)))
        {
            if (m is MethodInfo mi)
            {
                Add(mi.ReturnType);
            }

            foreach (var p in m.GetParameters())
            {
                Add(p.ParameterType);
            }

            foreach (var a in m.CustomAttributes)
            {
                Add(a.AttributeType);
            }

            ScanIl(m, Add);
        }
    }

    private static void ScanIl(MethodBase method, Action<Type?> add)
    {
        byte[]? il;
        try
        {
            il = method.GetMethodBody()?.GetILAsByteArray();
        }
        catch (Exception e) when (e is InvalidOperationException or BadImageFormatException)
        {
            return;
        }

        if (il is null)
        {
            return;
        }

        var module = method.Module;
        var typeArgs = method.DeclaringType is { IsGenericType: true } d ? d.GetGenericArguments() : null;
        var methodArgs = method is MethodInfo { IsGenericMethod: true } gm ? gm.GetGenericArguments() : null;
        var i = 0;
        while (i < il.Length)
        {
            OpCode op;
            if (il[i] == 0xFE && i + 1 < il.Length)
            {
                op = OpCodesByValue[unchecked((short)(0xFE00 | il[i + 1]))];
                i += 2;
            }
            else
            {
                op = OpCodesByValue[il[i]];
                i += 1;
            }

            switch (op.OperandType)
            {
                case OperandType.InlineNone:
                    break;
                case OperandType.ShortInlineBrTarget or OperandType.ShortInlineI or OperandType.ShortInlineVar:
                    i += 1;
                    break;
                case OperandType.InlineVar:
                    i += 2;
                    break;
                case OperandType.InlineI8 or OperandType.InlineR:
                    i += 8;
                    break;
                case OperandType.InlineSwitch:
                    var count = BitConverter.ToInt32(il, i);
                    i += 4 + (4 * count);
                    break;
                case OperandType.InlineType or OperandType.InlineTok or OperandType.InlineMethod or OperandType.InlineField:
                    var token = BitConverter.ToInt32(il, i);
                    i += 4;
                    try
                    {
                        switch (module.ResolveMember(token, typeArgs, methodArgs))
                        {
                            case Type type:
                                add(type);
                                break;
                            case MethodBase called:
                                add(called.DeclaringType);
                                if (called is MethodInfo { IsGenericMethod: true } g)
                                {
                                    foreach (var arg in g.GetGenericArguments())
                                    {
                                        add(arg);
                                    }
                                }

                                break;
                            case FieldInfo field:
                                add(field.DeclaringType);
                                add(field.FieldType);
                                break;
                        }
                    }
                    catch (ArgumentException)
                    {
                        // A token the module cannot resolve in this generic context names no type of ours worth a rule.
                    }

                    break;
                default:
                    i += 4;
                    break;
            }
        }
    }
}
