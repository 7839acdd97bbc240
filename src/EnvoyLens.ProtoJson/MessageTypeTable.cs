using System.Collections.Concurrent;
using Google.Protobuf.Reflection;

namespace EnvoyLens.ProtoJson;

/// <summary>
/// The generated message types of one set of assemblies, listed at build time (EnvoyLens.Generators'
/// MessageTypeTableGenerator writes one per project that asks): each type's CLR name (<c>Ns.Outer+Types+Inner</c>,
/// as <see cref="Type.FullName"/> spells it) and its descriptor on demand. Reading a descriptor builds only the file
/// it is declared in (and that file's imports); nothing is found by reflection.
/// </summary>
public sealed class MessageTypeTable
{
    /// <summary>Every table made so far: where <see cref="AccessOf(MessageDescriptor)"/> looks.</summary>
    private static readonly ConcurrentQueue<MessageTypeTable> Made = new();

    private readonly Func<string, MessageDescriptor?> _descriptorOf;
    private readonly Func<string, MessageAccess?>? _accessOf;

    /// <param name="clrNames">The CLR names of the types, each once.</param>
    /// <param name="descriptorOf">The descriptor of the type with a CLR name, null for a name not in the table.</param>
    /// <param name="accessOf">The generated field access of the type with a CLR name, null for a name not in the table.</param>
    public MessageTypeTable(IReadOnlyList<string> clrNames, Func<string, MessageDescriptor?> descriptorOf, Func<string, MessageAccess?>? accessOf = null)
    {
        ArgumentNullException.ThrowIfNull(clrNames);
        ArgumentNullException.ThrowIfNull(descriptorOf);
        ClrNames = clrNames;
        _descriptorOf = descriptorOf;
        _accessOf = accessOf;
        Made.Enqueue(this);
    }

    /// <summary>
    /// The generated field access of the message type <paramref name="descriptor"/> describes, from any table made
    /// so far whose type of that name has this very descriptor; null when none has it (the reader then uses
    /// Google.Protobuf's reflection accessors).
    /// </summary>
    internal static MessageAccess? AccessOf(MessageDescriptor descriptor)
    {
        // The CLR name the package implies first; then, for a file with its own C# namespace, every name that ends the same.
        var implied = TypeResolver.ClrTypeNameOf(descriptor.FullName);
        foreach (var table in Made)
        {
            if (table._accessOf is not null && implied is not null && ReferenceEquals(table._descriptorOf(implied), descriptor))
            {
                return table._accessOf(implied);
            }
        }

        foreach (var table in Made)
        {
            if (table._accessOf is null)
            {
                continue;
            }

            foreach (var clrName in table.ClrNames)
            {
                var simple = clrName.AsSpan(clrName.AsSpan().LastIndexOfAny('.', '+') + 1);
                if (simple.SequenceEqual(descriptor.Name) && ReferenceEquals(table._descriptorOf(clrName), descriptor))
                {
                    return table._accessOf(clrName);
                }
            }
        }

        return null;
    }

    /// <summary>The CLR names of the message types, sorted ordinally.</summary>
    public IReadOnlyList<string> ClrNames { get; }

    /// <summary>The descriptor of the message type with this CLR name, or null when the table has no such type.</summary>
    public MessageDescriptor? DescriptorOf(string clrName)
    {
        ArgumentNullException.ThrowIfNull(clrName);
        return _descriptorOf(clrName);
    }
}
