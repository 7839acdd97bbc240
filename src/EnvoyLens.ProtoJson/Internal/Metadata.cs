using System.Collections.Concurrent;
using System.Text;
using Google.Protobuf;
using Google.Protobuf.Reflection;

namespace EnvoyLens.ProtoJson.Internal;

/// <summary>How a value is read from JSON and stored: the scalar kind, or a message.</summary>
internal enum ValueKind
{
    Int32,
    Int64,
    UInt32,
    UInt64,
    Float,
    Double,
    Bool,
    String,
    Bytes,
    Enum,
    Message,
    Unsupported,
}

/// <summary>Messages with a JSON representation of their own.</summary>
internal enum WellKnownKind
{
    None,
    Any,
    Duration,
    Timestamp,
    FieldMask,
    Struct,
    Value,
    ListValue,
    Wrapper,
}

/// <summary>A small read-only hash table keyed by UTF-8 bytes (field and enum value names).</summary>
internal sealed class Utf8Map<T>
    where T : class
{
    private readonly byte[][] _keys;
    private readonly T[] _values;
    private readonly int[] _buckets;
    private readonly int[] _next;

    public Utf8Map(IReadOnlyList<(string Key, T Value)> entries)
    {
        var distinct = new List<(byte[] Key, T Value)>(entries.Count);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (key, value) in entries)
        {
            if (seen.Add(key))
            {
                distinct.Add((Encoding.UTF8.GetBytes(key), value));
            }
        }

        var size = 4;
        while (size < distinct.Count * 2)
        {
            size <<= 1;
        }

        _keys = new byte[distinct.Count][];
        _values = new T[distinct.Count];
        _next = new int[distinct.Count];
        _buckets = new int[size];
        for (var i = 0; i < distinct.Count; i++)
        {
            _keys[i] = distinct[i].Key;
            _values[i] = distinct[i].Value;
            var bucket = (int)(Hash(_keys[i]) & (uint)(size - 1));
            _next[i] = _buckets[bucket] - 1;
            _buckets[bucket] = i + 1;
        }
    }

    public T? Find(ReadOnlySpan<byte> key)
    {
        var i = _buckets[(int)(Hash(key) & (uint)(_buckets.Length - 1))] - 1;
        while (i >= 0)
        {
            if (key.SequenceEqual(_keys[i]))
            {
                return _values[i];
            }

            i = _next[i];
        }

        return null;
    }

    private static uint Hash(ReadOnlySpan<byte> key)
    {
        var hash = 2166136261u;
        foreach (var b in key)
        {
            hash = (hash ^ b) * 16777619u;
        }

        return hash;
    }
}

/// <summary>Enum values by name (UTF-8).</summary>
internal sealed class EnumInfo
{
    private static readonly ConcurrentDictionary<EnumDescriptor, EnumInfo> Cache = new();

    private EnumInfo(EnumDescriptor descriptor)
    {
        Descriptor = descriptor;
        ByName = new Utf8Map<EnumValueDescriptor>(descriptor.Values.Select(v => (v.Name, v)).ToList());
        IsNullValue = descriptor.FullName == "google.protobuf.NullValue";
    }

    public EnumDescriptor Descriptor { get; }

    public Utf8Map<EnumValueDescriptor> ByName { get; }

    public bool IsNullValue { get; }

    public static EnumInfo For(EnumDescriptor descriptor) => Cache.GetOrAdd(descriptor, d => new EnumInfo(d));
}

/// <summary>What the reader needs to know about one field (or one map value / wrapper payload), built once.</summary>
internal sealed class FieldInfo
{
    private readonly MessageAccess? _access;
    private readonly bool _forMapEntry;
    private MessageInfo? _message;
    private IFieldAccessor? _accessor;

    public FieldInfo(FieldDescriptor descriptor, bool forMapEntry = false, MessageAccess? access = null)
    {
        Descriptor = descriptor;
        Number = descriptor.FieldNumber;
        _access = forMapEntry ? null : access;
        IsMap = !forMapEntry && descriptor.IsMap;
        IsRepeated = !forMapEntry && descriptor.IsRepeated && !IsMap;
        Oneof = forMapEntry ? null : descriptor.RealContainingOneof;
        _forMapEntry = forMapEntry;
        if (descriptor.FieldType == FieldType.Message && WellKnown.KindOf(descriptor.MessageType) == WellKnownKind.Wrapper)
        {
            // Fields of wrapper type are stored as (nullable) primitives by generated code.
            IsWrapper = true;
            var inner = descriptor.MessageType.FindFieldByNumber(1);
            Kind = KindOf(inner.FieldType);
        }
        else
        {
            Kind = KindOf(descriptor.FieldType);
        }

        if (descriptor.FieldType == FieldType.Enum)
        {
            Enum = EnumInfo.For(descriptor.EnumType);
        }

        if (IsMap)
        {
            var entry = descriptor.MessageType;
            MapKey = new FieldInfo(entry.FindFieldByNumber(1), forMapEntry: true);
            MapValue = new FieldInfo(entry.FindFieldByNumber(2), forMapEntry: true);
        }

        IsValueMessage = Kind == ValueKind.Message && !IsMap && descriptor.MessageType.FullName == "google.protobuf.Value";
    }

    public FieldDescriptor Descriptor { get; }

    public int Number { get; }

    /// <summary>Google.Protobuf's reflection accessor (made on first use: most fields never need it); null for a map entry's fields.</summary>
    public IFieldAccessor? Accessor => _forMapEntry ? null : _accessor ??= Descriptor.Accessor;

    /// <summary>Sets this singular field: by the generated access when it knows the field, else by reflection.</summary>
    public void Set(IMessage message, object value)
    {
        if (_access is null || !_access.TrySet(message, Number, value))
        {
            Accessor!.SetValue(message, value);
        }
    }

    /// <summary>The RepeatedField or MapField of this repeated or map field.</summary>
    public object Collection(IMessage message) => _access?.Collection(message, Number) ?? Accessor!.GetValue(message);

    /// <summary>The field set in this field's oneof, or null when none is.</summary>
    public FieldDescriptor? OneofCase(IMessage message)
    {
        var number = _access?.OneofCase(message, Number) ?? -1;
        if (number < 0)
        {
            return Oneof!.Accessor.GetCaseFieldDescriptor(message);
        }

        return number == 0 ? null : Descriptor.ContainingType.FindFieldByNumber(number);
    }

    public ValueKind Kind { get; }

    public bool IsRepeated { get; }

    public bool IsMap { get; }

    public bool IsWrapper { get; }

    /// <summary>True for fields of type google.protobuf.Value, where JSON null is a value.</summary>
    public bool IsValueMessage { get; }

    public OneofDescriptor? Oneof { get; }

    public EnumInfo? Enum { get; }

    public FieldInfo? MapKey { get; }

    public FieldInfo? MapValue { get; }

    /// <summary>The message type of a message field (built on first use: message types may be recursive).</summary>
    public MessageInfo Message => _message ??= MessageInfo.For(Descriptor.MessageType);

    private static ValueKind KindOf(FieldType type) => type switch
    {
        FieldType.Int32 or FieldType.SInt32 or FieldType.SFixed32 => ValueKind.Int32,
        FieldType.Int64 or FieldType.SInt64 or FieldType.SFixed64 => ValueKind.Int64,
        FieldType.UInt32 or FieldType.Fixed32 => ValueKind.UInt32,
        FieldType.UInt64 or FieldType.Fixed64 => ValueKind.UInt64,
        FieldType.Float => ValueKind.Float,
        FieldType.Double => ValueKind.Double,
        FieldType.Bool => ValueKind.Bool,
        FieldType.String => ValueKind.String,
        FieldType.Bytes => ValueKind.Bytes,
        FieldType.Enum => ValueKind.Enum,
        FieldType.Message => ValueKind.Message,
        _ => ValueKind.Unsupported,
    };
}

/// <summary>What the reader needs to know about one message type: how to create it and its fields by JSON name.</summary>
internal sealed class MessageInfo
{
    private static readonly ConcurrentDictionary<MessageDescriptor, MessageInfo> Cache = new();

    private MessageInfo(MessageDescriptor descriptor)
    {
        Descriptor = descriptor;
        WellKnown = Internal.WellKnown.KindOf(descriptor);
        var access = MessageTypeTable.AccessOf(descriptor);
        var fields = descriptor.Fields.InDeclarationOrder().Select(f => new FieldInfo(f, access: access)).ToList();
        var names = new List<(string, FieldInfo)>(fields.Count * 2);
        names.AddRange(fields.Select(f => (f.Descriptor.JsonName, f)));
        names.AddRange(fields.Select(f => (f.Descriptor.Name, f)));
        Fields = new Utf8Map<FieldInfo>(names);
        TypeUrl = TypeResolver.TypeUrlPrefix + descriptor.FullName;
        if (access is not null)
        {
            Factory = access.Create;
        }
        else if (descriptor.Parser is { } parser)
        {
            // The generated parser's own factory, reached without reflection: parsing no bytes yields a new, empty message.
            Factory = () => parser.ParseFrom(ReadOnlySpan<byte>.Empty);
        }
    }

    public MessageDescriptor Descriptor { get; }

    public WellKnownKind WellKnown { get; }

    /// <summary>Fields by json_name and by proto name.</summary>
    public Utf8Map<FieldInfo> Fields { get; }

    public string TypeUrl { get; }

    /// <summary>Creates an empty message; null when the descriptor has no generated type.</summary>
    public Func<IMessage>? Factory { get; }

    public static MessageInfo For(MessageDescriptor descriptor) => Cache.GetOrAdd(descriptor, d => new MessageInfo(d));
}

/// <summary>Recognises the well-known types by full name.</summary>
internal static class WellKnown
{
    /// <summary>
    /// Files whose messages Google's JSON mapping treats as well-known: inside an Any their JSON goes in a "value" property.
    /// </summary>
    private static readonly HashSet<string> WellKnownFiles = new(StringComparer.Ordinal)
    {
        "google/protobuf/any.proto", "google/protobuf/api.proto", "google/protobuf/duration.proto",
        "google/protobuf/empty.proto", "google/protobuf/field_mask.proto", "google/protobuf/source_context.proto",
        "google/protobuf/struct.proto", "google/protobuf/timestamp.proto", "google/protobuf/type.proto",
        "google/protobuf/wrappers.proto",
    };

    public static WellKnownKind KindOf(MessageDescriptor descriptor) => descriptor.FullName switch
    {
        "google.protobuf.Any" => WellKnownKind.Any,
        "google.protobuf.Duration" => WellKnownKind.Duration,
        "google.protobuf.Timestamp" => WellKnownKind.Timestamp,
        "google.protobuf.FieldMask" => WellKnownKind.FieldMask,
        "google.protobuf.Struct" => WellKnownKind.Struct,
        "google.protobuf.Value" => WellKnownKind.Value,
        "google.protobuf.ListValue" => WellKnownKind.ListValue,
        "google.protobuf.DoubleValue" or "google.protobuf.FloatValue" or "google.protobuf.Int64Value"
            or "google.protobuf.UInt64Value" or "google.protobuf.Int32Value" or "google.protobuf.UInt32Value"
            or "google.protobuf.BoolValue" or "google.protobuf.StringValue" or "google.protobuf.BytesValue" => WellKnownKind.Wrapper,
        _ => WellKnownKind.None,
    };

    /// <summary>True when an Any holding this type carries its JSON in a "value" property.</summary>
    public static bool UsesValueProperty(MessageDescriptor descriptor) =>
        descriptor.File.Package == "google.protobuf" && WellKnownFiles.Contains(descriptor.File.Name);
}
