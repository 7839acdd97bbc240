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
    private readonly Func<string, MessageDescriptor?> _descriptorOf;

    /// <param name="clrNames">The CLR names of the types, each once.</param>
    /// <param name="descriptorOf">The descriptor of the type with a CLR name, null for a name not in the table.</param>
    public MessageTypeTable(IReadOnlyList<string> clrNames, Func<string, MessageDescriptor?> descriptorOf)
    {
        ArgumentNullException.ThrowIfNull(clrNames);
        ArgumentNullException.ThrowIfNull(descriptorOf);
        ClrNames = clrNames;
        _descriptorOf = descriptorOf;
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
