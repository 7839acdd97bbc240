using Google.Protobuf;

namespace EnvoyLens.ProtoJson;

/// <summary>
/// Typed access to the fields of one generated message type, written at build time (EnvoyLens.Generators'
/// MessageTypeTableGenerator) so that reading sets fields by plain property assignment instead of Google.Protobuf's
/// reflection accessors (which under Native AOT call each setter through <c>MethodInfo.Invoke</c>). Fields are named
/// by number. A member that does not know a field answers so, and the reader uses the reflection accessor instead.
/// </summary>
public abstract class MessageAccess
{
    /// <summary>A new, empty message of the type.</summary>
    public abstract IMessage Create();

    /// <summary>
    /// Sets singular field <paramref name="number"/> of <paramref name="message"/> to <paramref name="value"/>: a
    /// message, or a scalar boxed as the field's C# type (an enum as its number; a wrapper field as the wrapped
    /// value). False, changing nothing, when the type has no such settable field.
    /// </summary>
    public abstract bool TrySet(IMessage message, int number, object value);

    /// <summary>The RepeatedField or MapField of repeated or map field <paramref name="number"/>, or null when the type has none.</summary>
    public abstract object? Collection(IMessage message, int number);

    /// <summary>
    /// The number of the field set in the oneof that field <paramref name="number"/> belongs to (0 when none is set),
    /// or -1 when that field is in no oneof this type knows.
    /// </summary>
    public abstract int OneofCase(IMessage message, int number);
}
