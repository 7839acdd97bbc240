using System.Reflection;
using System.Reflection.Emit;

namespace EnvoyLens.Architecture.Tests;

/// <summary>
/// What compiled types expose and use: the types in public signatures (<see cref="Exposed"/>), and every type a type's
/// fields, signatures, locals and method bodies (IL operands) name, including its nested and compiler-generated types
/// (<see cref="Uses"/>). Each finding is one sentence naming the member and the type.
/// </summary>
internal static class UsageChecker
{
    private const BindingFlags Declared = BindingFlags.DeclaredOnly | BindingFlags.Instance | BindingFlags.Static | BindingFlags.Public | BindingFlags.NonPublic;

    private static readonly Dictionary<short, OpCode> OpCodesByValue = typeof(OpCodes)
        .GetFields(BindingFlags.Public | BindingFlags.Static)
        .Select(f => (OpCode)f.GetValue(null)!)
        .ToDictionary(o => o.Value);

    /// <summary>Public or protected members of visible <paramref name="types"/> whose signature names a type <paramref name="forbidden"/> matches.</summary>
    public static IReadOnlyList<string> Exposed(IEnumerable<Type> types, Func<Type, bool> forbidden)
    {
        var findings = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var type in types.Where(t => t.IsVisible))
        {
            void Check(string member, Type? signatureType)
            {
                foreach (var t in Flatten(signatureType).Where(forbidden))
                {
                    findings.Add($"{Name(type)}.{member} exposes {Name(t)}");
                }
            }

            Check("(base type)", type.BaseType);
            foreach (var i in type.GetInterfaces())
            {
                Check("(interface)", i);
            }

            foreach (var member in type.GetMembers(Declared))
            {
                switch (member)
                {
                    case FieldInfo f when f.IsPublic || f.IsFamily || f.IsFamilyOrAssembly:
                        Check(f.Name, f.FieldType);
                        break;
                    case PropertyInfo p when p.GetAccessors(nonPublic: true).Any(IsApi):
                        Check(p.Name, p.PropertyType);
                        break;
                    case MethodBase m when IsApi(m) && !m.IsSpecialName || m is ConstructorInfo && IsApi(m):
                        if (m is MethodInfo mi)
                        {
                            Check(m.Name + "()", mi.ReturnType);
                        }

                        foreach (var parameter in m.GetParameters())
                        {
                            Check($"{m.Name}({parameter.Name})", parameter.ParameterType);
                        }

                        break;
                    case EventInfo e when e.AddMethod is { } add && IsApi(add):
                        Check(e.Name, e.EventHandlerType);
                        break;
                }
            }
        }

        return [.. findings];
    }

    /// <summary>Every place in <paramref name="types"/> (and the types nested in them) that names a type <paramref name="forbidden"/> matches.</summary>
    public static IReadOnlyList<string> Uses(IEnumerable<Type> types, Func<Type, bool> forbidden)
    {
        var findings = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var type in types.SelectMany(WithNested))
        {
            void Check(string where, Type? used)
            {
                foreach (var t in Flatten(used).Where(forbidden))
                {
                    findings.Add($"{where} uses {Name(t)}");
                }
            }

            Check(Name(type) + " (base type)", type.BaseType);
            foreach (var member in type.GetMembers(Declared))
            {
                var where = $"{Name(type)}.{member.Name}";
                switch (member)
                {
                    case FieldInfo f:
                        Check(where, f.FieldType);
                        break;
                    case PropertyInfo p:
                        Check(where, p.PropertyType);
                        break;
                    case MethodBase m:
                        if (m is MethodInfo mi)
                        {
                            Check(where, mi.ReturnType);
                        }

                        foreach (var parameter in m.GetParameters())
                        {
                            Check(where, parameter.ParameterType);
                        }

                        foreach (var local in m.GetMethodBody()?.LocalVariables ?? [])
                        {
                            Check(where, local.LocalType);
                        }

                        foreach (var operand in Operands(m))
                        {
                            switch (operand)
                            {
                                case Type t:
                                    Check(where, t);
                                    break;
                                case FieldInfo f:
                                    Check(where, f.DeclaringType);
                                    Check(where, f.FieldType);
                                    break;
                                case MethodBase called:
                                    Check(where, called.DeclaringType);
                                    if (called is MethodInfo { IsGenericMethod: true } generic)
                                    {
                                        foreach (var argument in generic.GetGenericArguments())
                                        {
                                            Check(where, argument);
                                        }
                                    }

                                    break;
                            }
                        }

                        break;
                }
            }
        }

        return [.. findings];
    }

    /// <summary>The type, its element and generic argument types, and the types it is nested in.</summary>
    private static IEnumerable<Type> Flatten(Type? type)
    {
        if (type is null || type.IsGenericParameter)
        {
            yield break;
        }

        yield return type;
        if (type.HasElementType)
        {
            foreach (var t in Flatten(type.GetElementType()))
            {
                yield return t;
            }
        }

        if (type.IsGenericType)
        {
            foreach (var t in type.GetGenericArguments().SelectMany(Flatten))
            {
                yield return t;
            }
        }
    }

    private static IEnumerable<Type> WithNested(Type type) =>
        new[] { type }.Concat(type.GetNestedTypes(BindingFlags.Public | BindingFlags.NonPublic).SelectMany(WithNested));

    /// <summary>The types, fields and methods the method body's IL names.</summary>
    private static IEnumerable<MemberInfo> Operands(MethodBase method)
    {
        var il = method.GetMethodBody()?.GetILAsByteArray();
        if (il is null)
        {
            yield break;
        }

        var typeArguments = method.DeclaringType is { IsGenericType: true } d ? d.GetGenericArguments() : null;
        var methodArguments = method.IsGenericMethod ? method.GetGenericArguments() : null;
        var i = 0;
        while (i < il.Length)
        {
            short value = il[i++];
            if (value == 0xFE)
            {
                value = unchecked((short)(0xFE00 | il[i++]));
            }

            var opCode = OpCodesByValue[value];
            switch (opCode.OperandType)
            {
                case OperandType.InlineField or OperandType.InlineMethod or OperandType.InlineTok or OperandType.InlineType:
                    var token = BitConverter.ToInt32(il, i);
                    i += 4;
                    MemberInfo? member;
                    try
                    {
                        member = method.Module.ResolveMember(token, typeArguments, methodArguments);
                    }
                    catch (ArgumentException)
                    {
                        member = null;
                    }

                    if (member is not null)
                    {
                        yield return member;
                    }

                    break;
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
                    i += 4 + (4 * BitConverter.ToInt32(il, i));
                    break;
                default:
                    i += 4;
                    break;
            }
        }
    }

    private static bool IsApi(MethodBase m) => m.IsPublic || m.IsFamily || m.IsFamilyOrAssembly;

    private static string Name(Type t) => t.FullName ?? t.Name;
}
