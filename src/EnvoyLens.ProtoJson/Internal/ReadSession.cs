using System.Collections;
using System.Globalization;
using System.Text;
using System.Text.Json;
using EnvoyLens.Core;
using Google.Protobuf;
using Google.Protobuf.Collections;
using Google.Protobuf.WellKnownTypes;

namespace EnvoyLens.ProtoJson.Internal;

/// <summary>
/// The state of one read: diagnostics, raw payloads, tracked locations and the current path. The path holds
/// byte offsets of property names in the input (not strings); pointers are built only when something needs one.
/// </summary>
internal sealed class ReadSession
{
    private readonly ProtoJsonReader _owner;
    private readonly ReadOnlyMemory<byte> _data;
    private readonly string _source;
    private readonly JsonPointer _at;
    private readonly IReadOnlySet<string>? _tracked;
    private readonly bool _keepUnpacked;
    private readonly IReadOnlySet<string>? _unencoded;
    private int _encodedDepth; // how many Any payloads being read enclose the current value and will be encoded
    private List<DecodeDiagnostic>? _diagnostics;
    private List<RawPayload>? _raw;
    private Dictionary<IMessage, JsonPointer>? _locations;
    private Dictionary<Any, IMessage>? _unpacked;
    // The path buffers, taken from this thread's spare set (a read makes one session per element: thousands of them).
    [ThreadStatic]
    private static (Segment[] Path, string?[] Prefixes, char[] Chars)? t_spare;

    private Segment[] _path;
    private string?[] _prefixes; // _prefixes[i]: the pointer up to segment i, while that segment is unchanged
    private char[] _chars;
    private int _depth;

    public ReadSession(ProtoJsonReader owner, ReadOnlyMemory<byte> utf8Json, string source, JsonPointer at)
    {
        _owner = owner;
        _data = utf8Json.Span.StartsWith("\uFEFF"u8) ? utf8Json[3..] : utf8Json;
        _source = source;
        _at = at;
        _tracked = owner.TrackedTypes;
        _keepUnpacked = owner.KeepUnpackedMessages;
        _unencoded = owner.UnencodedTypes;
        (_path, _prefixes, _chars) = t_spare ?? (new Segment[32], new string?[32], new char[256]);
        t_spare = null;
    }

    /// <summary>Reads the whole input as <paramref name="info"/>, or as an Any (returning its payload) when null.</summary>
    public ReadResult ReadTop(MessageInfo? info)
    {
        try
        {
            return ReadTopCore(info);
        }
        finally
        {
            // The session is done: its buffers go back for the next one on this thread (holding no strings).
            Array.Clear(_prefixes);
            t_spare = (_path, _prefixes, _chars);
        }
    }

    private ReadResult ReadTopCore(MessageInfo? info)
    {
        IMessage? message;
        try
        {
            var r = new Utf8JsonReader(_data.Span, ProtoJsonReader.JsonOptions);
            Next(ref r);
            message = info is null ? ReadTopAny(ref r) : ReadTopMessage(ref r, info);
            if (r.Read())
            {
                throw new JsonException("Unexpected content after the JSON value.");
            }
        }
        catch (JsonException e)
        {
            return Failed(Describe(e));
        }
        catch (Exception e) when (e is InvalidOperationException or FormatException or ArgumentException or InvalidCastException or OverflowException or DecoderFallbackException)
        {
            return Failed($"the value could not be read ({e.Message.TrimEnd('.')})");
        }

        return new ReadResult(message, (IReadOnlyList<DecodeDiagnostic>?)_diagnostics ?? [], (IReadOnlyList<RawPayload>?)_raw ?? [], _locations, _unpacked);
    }

    private ReadResult Failed(string what)
    {
        var diagnostic = new DecodeDiagnostic(DiagnosticLevel.Error, DiagnosticCodes.InvalidResource, _source, _at,
            $"The JSON value at '{_at}' could not be read: {what}.");
        return new ReadResult(null, [diagnostic], [], null, null);
    }

    private static string Describe(JsonException e)
    {
        var message = e.Message;
        var cut = message.IndexOf(" LineNumber:", StringComparison.Ordinal);
        if (cut >= 0)
        {
            message = message[..cut];
        }

        message = message.TrimEnd().TrimEnd('.');
        return e.LineNumber is { } line
            ? string.Create(CultureInfo.InvariantCulture, $"malformed JSON at line {line + 1}, byte {(e.BytePositionInLine ?? 0) + 1} of that line ({message})")
            : $"malformed JSON ({message})";
    }

    private IMessage? ReadTopMessage(ref Utf8JsonReader r, MessageInfo info)
    {
        if (info.WellKnown == WellKnownKind.None && r.TokenType != JsonTokenType.StartObject)
        {
            Error($"Expected a JSON object for {info.Descriptor.FullName}, found {Describe(r.TokenType)}.");
            r.Skip();
            return null;
        }

        if (r.TokenType == JsonTokenType.Null && info.WellKnown == WellKnownKind.Value)
        {
            return Value.ForNull();
        }

        if (TryReadMessage(ref r, info, null, out var message))
        {
            return message;
        }

        Error($"The value could not be read as {info.Descriptor.FullName}.");
        return null;
    }

    private IMessage? ReadTopAny(ref Utf8JsonReader r)
    {
        if (r.TokenType != JsonTokenType.StartObject)
        {
            Error($"Expected a JSON object with an \"@type\", found {Describe(r.TokenType)}.");
            r.Skip();
            return null;
        }

        var typeUrl = FindTypeUrl(r);
        if (typeUrl is null)
        {
            Error("The object has no \"@type\" string, so its message type is unknown.");
            r.Skip();
            return null;
        }

        return ReadAnyPayload(ref r, typeUrl, nested: false, out _, out _);
    }

    // ---------------------------------------------------------------- messages

    /// <summary>Reads a value of message type (any JSON form the type has). False when it did not fit (reported, skipped).</summary>
    private bool TryReadMessage(ref Utf8JsonReader r, MessageInfo info, FieldInfo? field, out IMessage? message)
    {
        message = null;
        switch (info.WellKnown)
        {
            case WellKnownKind.Any:
                if (r.TokenType != JsonTokenType.StartObject)
                {
                    return Invalid(ref r, field, info, "expected a JSON object with an \"@type\"");
                }

                message = ReadAnyObject(ref r, field);
                return message is not null;
            case WellKnownKind.Duration:
                return ReadStringForm(ref r, field, info, Scalars.ParseDuration, "expected a duration string such as \"1.5s\"", out message);
            case WellKnownKind.Timestamp:
                return ReadStringForm(ref r, field, info, Scalars.ParseTimestamp, "expected an RFC 3339 timestamp string such as \"2024-03-04T08:37:44Z\"", out message);
            case WellKnownKind.FieldMask:
                return ReadStringForm(ref r, field, info, Scalars.ParseFieldMask, "expected a comma-separated list of lowerCamelCase paths", out message);
            case WellKnownKind.Struct:
                if (r.TokenType != JsonTokenType.StartObject)
                {
                    return Invalid(ref r, field, info, "expected a JSON object");
                }

                message = Track(ReadStruct(ref r), info);
                return true;
            case WellKnownKind.Value:
                message = ReadValue(ref r, field);
                return message is not null;
            case WellKnownKind.ListValue:
                if (r.TokenType != JsonTokenType.StartArray)
                {
                    return Invalid(ref r, field, info, "expected a JSON array");
                }

                message = Track(ReadListValue(ref r, field), info);
                return true;
            case WellKnownKind.Wrapper:
            {
                var inner = info.Fields.Find("value"u8)!;
                var error = Scalars.TryRead(ref r, inner.Kind, null, out var scalar);
                if (error is not null)
                {
                    return Invalid(ref r, field, info, error);
                }

                message = Create(info);
                inner.Set(message, Scalars.Box(inner.Kind, scalar));
                return true;
            }

            default:
                if (r.TokenType != JsonTokenType.StartObject)
                {
                    return Invalid(ref r, field, info, $"expected a JSON object for {info.Descriptor.FullName}");
                }

                message = Create(info);
                ReadFields(ref r, info, message, inAny: false);
                return true;
        }
    }

    private bool ReadStringForm<T>(ref Utf8JsonReader r, FieldInfo? field, MessageInfo info, Func<string, T?> parse, string expected, out IMessage? message)
        where T : class, IMessage
    {
        message = r.TokenType == JsonTokenType.String ? parse(r.GetString()!) : null;
        if (message is null)
        {
            return Invalid(ref r, field, info, expected);
        }

        Track(message, info);
        return true;
    }

    private IMessage Create(MessageInfo info) =>
        Track(info.Factory?.Invoke() ?? throw new InvalidOperationException($"{info.Descriptor.FullName} has no generated type"), info);

    private T Track<T>(T message, MessageInfo info)
        where T : IMessage
    {
        if (_tracked is not null && _tracked.Contains(info.Descriptor.FullName))
        {
            (_locations ??= new Dictionary<IMessage, JsonPointer>(ReferenceEqualityComparer.Instance))[message] = CurrentPointer();
        }

        return message;
    }

    /// <summary>Reads the properties of the object the reader is on (StartObject) into <paramref name="message"/>.</summary>
    private void ReadFields(ref Utf8JsonReader r, MessageInfo info, IMessage message, bool inAny)
    {
        while (true)
        {
            Next(ref r);
            if (r.TokenType == JsonTokenType.EndObject)
            {
                return;
            }

            var field = r.ValueIsEscaped ? info.Fields.Find(Encoding.UTF8.GetBytes(r.GetString()!)) : info.Fields.Find(r.ValueSpan);
            PushName(ref r);
            if (field is null)
            {
                var isType = r.ValueTextEquals("@type"u8);
                Next(ref r);
                if (isType && (inAny || (r.TokenType == JsonTokenType.String && TypeResolver.FullNameOf(r.GetString()!) == info.Descriptor.FullName)))
                {
                    r.Skip();
                }
                else
                {
                    UnknownField(ref r, info);
                }
            }
            else
            {
                Next(ref r);
                ReadField(ref r, message, field);
            }

            Pop();
        }
    }

    private void ReadField(ref Utf8JsonReader r, IMessage message, FieldInfo field)
    {
        if (r.TokenType == JsonTokenType.Null)
        {
            // null means "unset", except for google.protobuf.Value (and NullValue), where it is a value.
            if (!field.IsRepeated && !field.IsMap)
            {
                if (field.IsValueMessage)
                {
                    SetSingular(message, field, Value.ForNull());
                }
                else if (field.Enum is { IsNullValue: true })
                {
                    SetSingular(message, field, Scalars.BoxInt(0));
                }
            }

            return;
        }

        if (field.IsMap)
        {
            ReadMap(ref r, message, field);
        }
        else if (field.IsRepeated)
        {
            ReadRepeated(ref r, message, field);
        }
        else if (field.Kind == ValueKind.Message && !field.IsWrapper)
        {
            if (TryReadMessage(ref r, field.Message, field, out var value))
            {
                SetSingular(message, field, value!);
            }
        }
        else
        {
            var error = Scalars.TryRead(ref r, field.Kind, field.Enum, out var scalar);
            if (error is null)
            {
                SetSingular(message, field, Scalars.Box(field.Kind, scalar));
            }
            else
            {
                Invalid(ref r, field, null, error);
            }
        }
    }

    private void SetSingular(IMessage message, FieldInfo field, object value)
    {
        if (field.Oneof is { } oneof)
        {
            var current = field.OneofCase(message);
            if (current is not null && current != field.Descriptor)
            {
                Warn(DiagnosticCodes.InvalidValue, field.Descriptor.ContainingType.FullName,
                    $"Fields '{current.Name}' and '{field.Descriptor.Name}' of oneof '{oneof.Name}' in {field.Descriptor.ContainingType.FullName} are both set; the last one, '{field.Descriptor.Name}', wins.");
            }
        }

        field.Set(message, value);
    }

    private void ReadRepeated(ref Utf8JsonReader r, IMessage message, FieldInfo field)
    {
        if (r.TokenType != JsonTokenType.StartArray)
        {
            Invalid(ref r, field, null, "expected a JSON array");
            return;
        }

        var list = field.Collection(message);
        PushIndex();
        for (var index = 0; ; index++)
        {
            Next(ref r);
            if (r.TokenType == JsonTokenType.EndArray)
            {
                break;
            }

            SetIndex(index);
            if (r.TokenType == JsonTokenType.Null && !field.IsValueMessage)
            {
                Invalid(ref r, field, null, "null is not allowed in a repeated field");
            }
            else if (field.Kind == ValueKind.Message && !field.IsWrapper)
            {
                if (r.TokenType == JsonTokenType.Null)
                {
                    ((IList)list).Add(Value.ForNull());
                }
                else if (TryReadMessage(ref r, field.Message, field, out var element))
                {
                    ((IList)list).Add(element);
                }
            }
            else
            {
                var error = Scalars.TryRead(ref r, field.Kind, field.Enum, out var scalar);
                if (error is not null)
                {
                    Invalid(ref r, field, null, error);
                }
                else
                {
                    AddScalar(list, field, scalar);
                }
            }
        }

        Pop();
    }

    /// <summary>Adds to the generated RepeatedField without boxing where the element type is known.</summary>
    private static void AddScalar(object list, FieldInfo field, in Scalar v)
    {
        if (!field.IsWrapper)
        {
            switch (field.Kind)
            {
                case ValueKind.String:
                    ((RepeatedField<string>)list).Add((string)v.Ref!);
                    return;
                case ValueKind.Int32:
                    ((RepeatedField<int>)list).Add((int)v.Int);
                    return;
                case ValueKind.Int64:
                    ((RepeatedField<long>)list).Add(v.Int);
                    return;
                case ValueKind.UInt32:
                    ((RepeatedField<uint>)list).Add((uint)v.UInt);
                    return;
                case ValueKind.UInt64:
                    ((RepeatedField<ulong>)list).Add(v.UInt);
                    return;
                case ValueKind.Double:
                    ((RepeatedField<double>)list).Add(v.Double);
                    return;
                case ValueKind.Float:
                    ((RepeatedField<float>)list).Add((float)v.Double);
                    return;
                case ValueKind.Bool:
                    ((RepeatedField<bool>)list).Add(v.Int != 0);
                    return;
                case ValueKind.Bytes:
                    ((RepeatedField<ByteString>)list).Add((ByteString)v.Ref!);
                    return;
            }
        }

        ((IList)list).Add(Scalars.Box(field.Kind, v));
    }

    private void ReadMap(ref Utf8JsonReader r, IMessage message, FieldInfo field)
    {
        if (r.TokenType != JsonTokenType.StartObject)
        {
            Invalid(ref r, field, null, "expected a JSON object (a map)");
            return;
        }

        var map = (IDictionary)field.Collection(message);
        var keyField = field.MapKey!;
        var valueField = field.MapValue!;
        while (true)
        {
            Next(ref r);
            if (r.TokenType == JsonTokenType.EndObject)
            {
                return;
            }

            PushName(ref r);
            var keyText = r.GetString()!;
            Next(ref r);
            var key = ParseMapKey(keyText, keyField.Kind);
            if (key is null)
            {
                Invalid(ref r, field, null, $"the map key '{keyText}' is not a valid {keyField.Descriptor.FieldType.ToString().ToLowerInvariant()}");
            }
            else if (r.TokenType == JsonTokenType.Null)
            {
                if (valueField.IsValueMessage)
                {
                    map[key] = Value.ForNull();
                }
                else if (valueField.Enum is { IsNullValue: true })
                {
                    map[key] = Scalars.BoxInt(0);
                }
                else
                {
                    Invalid(ref r, field, null, "null is not allowed as a map value");
                }
            }
            else if (valueField.Kind == ValueKind.Message && !valueField.IsWrapper)
            {
                if (TryReadMessage(ref r, valueField.Message, field, out var value))
                {
                    map[key] = value;
                }
            }
            else
            {
                var error = Scalars.TryRead(ref r, valueField.Kind, valueField.Enum, out var scalar);
                if (error is null)
                {
                    map[key] = Scalars.Box(valueField.Kind, scalar);
                }
                else
                {
                    Invalid(ref r, field, null, error);
                }
            }

            Pop();
        }
    }

    private static object? ParseMapKey(string text, ValueKind kind)
    {
        var inv = CultureInfo.InvariantCulture;
        return kind switch
        {
            ValueKind.String => text,
            ValueKind.Bool => text switch { "true" => true, "false" => false, _ => null },
            ValueKind.Int32 => int.TryParse(text, NumberStyles.AllowLeadingSign, inv, out var i) ? i : null,
            ValueKind.Int64 => long.TryParse(text, NumberStyles.AllowLeadingSign, inv, out var l) ? l : null,
            ValueKind.UInt32 => uint.TryParse(text, NumberStyles.None, inv, out var u) ? u : null,
            ValueKind.UInt64 => ulong.TryParse(text, NumberStyles.None, inv, out var ul) ? ul : null,
            _ => null,
        };
    }

    // ---------------------------------------------------------------- Any

    /// <summary>The "@type" string of the object the reader is on, looked up on a copy of the reader.</summary>
    private static string? FindTypeUrl(Utf8JsonReader copy)
    {
        while (copy.Read() && copy.TokenType == JsonTokenType.PropertyName)
        {
            var isType = copy.ValueTextEquals("@type"u8);
            copy.Read();
            if (isType)
            {
                return copy.TokenType == JsonTokenType.String ? copy.GetString() : null;
            }

            copy.Skip();
        }

        return null;
    }

    /// <summary>Reads an Any object (reader on StartObject). Null when it did not fit (reported, skipped).</summary>
    private Any? ReadAnyObject(ref Utf8JsonReader r, FieldInfo? field)
    {
        var typeUrl = FindTypeUrl(r);
        if (typeUrl is null)
        {
            var copy = r;
            copy.Read();
            if (copy.TokenType == JsonTokenType.EndObject)
            {
                r.Skip();
                return new Any();
            }

            Invalid(ref r, field, MessageInfo.For(Any.Descriptor), "an Any needs an \"@type\" string");
            return null;
        }

        var payload = ReadAnyPayload(ref r, typeUrl, nested: true, out var unknown, out var encode);
        if (payload is null)
        {
            return unknown;
        }

        // Same as Any.Pack (default prefix), reusing the cached type URL string; left unencoded where asked.
        var any = new Any { TypeUrl = MessageInfo.For(payload.Descriptor).TypeUrl, Value = encode ? payload.ToByteString() : ByteString.Empty };
        if (!encode || _keepUnpacked || (_tracked is not null && _tracked.Contains(payload.Descriptor.FullName)))
        {
            // Opt-in: keeping every payload tree alive beside its bytes costs the garbage collector dearly.
            (_unpacked ??= new Dictionary<Any, IMessage>(ReferenceEqualityComparer.Instance))[any] = payload;
        }

        return any;
    }

    /// <summary>
    /// Reads the payload of an Any object whose "@type" is <paramref name="typeUrl"/>. For an unknown type the object
    /// is kept raw, reported, and <paramref name="unknown"/> is an Any holding only the type URL; the result is null.
    /// </summary>
    /// <param name="nested">True for an Any inside the value being read (its payload is encoded into the Any), false
    /// for the top-level value (the payload is the result).</param>
    /// <param name="encode">Whether the payload is to be encoded into its Any: always when nested, except for a type in
    /// <see cref="ProtoJsonReaderOptions.UnencodedTypes"/> that no encoded payload encloses (its Any is then reached only
    /// through messages this read returns, so <see cref="ReadResult.Unpacked"/> always finds it).</param>
    private IMessage? ReadAnyPayload(ref Utf8JsonReader r, string typeUrl, bool nested, out Any? unknown, out bool encode)
    {
        unknown = null;
        encode = false;
        var resolved = _owner.Resolver.Resolve(typeUrl);
        var info = resolved is null ? null : MessageInfo.For(resolved.Descriptor);
        if (info?.Factory is null)
        {
            var json = CaptureRaw(ref r);
            var pointer = CurrentPointer();
            (_raw ??= []).Add(new RawPayload(_source, pointer, typeUrl, "unknown type", json));
            Add(new DecodeDiagnostic(DiagnosticLevel.Warning, DiagnosticCodes.UnknownType, _source, pointer,
                $"Type '{typeUrl}' is not known; the object was kept raw.", typeUrl));
            unknown = new Any { TypeUrl = typeUrl };
            return null;
        }

        if (resolved!.RenamedFrom is not null)
        {
            Add(new DecodeDiagnostic(DiagnosticLevel.Info, DiagnosticCodes.LegacyType, _source, CurrentPointer(),
                $"Legacy type '{typeUrl}' was read as {resolved.Descriptor.FullName}.", typeUrl));
        }

        encode = nested && !(_encodedDepth == 0 && _unencoded is not null && _unencoded.Contains(info.Descriptor.FullName));
        if (!encode)
        {
            return ReadKnownPayload(ref r, info);
        }

        // Not in a finally: an exception ends the whole read, and this session with it.
        _encodedDepth++;
        var read = ReadKnownPayload(ref r, info);
        _encodedDepth--;
        return read;
    }

    /// <summary>Reads the payload of an Any object whose type is known (<paramref name="info"/>).</summary>
    private IMessage ReadKnownPayload(ref Utf8JsonReader r, MessageInfo info)
    {
        if (!WellKnown.UsesValueProperty(info.Descriptor))
        {
            var message = Create(info);
            ReadFields(ref r, info, message, inAny: true);
            return message;
        }

        // Well-known types carry their JSON form in a "value" property.
        IMessage? payload = null;
        while (true)
        {
            Next(ref r);
            if (r.TokenType == JsonTokenType.EndObject)
            {
                break;
            }

            PushName(ref r);
            var isValue = r.ValueTextEquals("value"u8);
            var isType = r.ValueTextEquals("@type"u8);
            Next(ref r);
            if (isValue)
            {
                if (r.TokenType == JsonTokenType.Null)
                {
                    payload = info.WellKnown == WellKnownKind.Value ? Value.ForNull() : null;
                }
                else if (TryReadMessage(ref r, info, null, out var value))
                {
                    payload = value;
                }
            }
            else if (isType)
            {
                r.Skip();
            }
            else
            {
                UnknownField(ref r, info);
            }

            Pop();
        }

        return payload ?? Create(info);
    }

    // ---------------------------------------------------------------- Struct / Value / ListValue

    private Struct ReadStruct(ref Utf8JsonReader r)
    {
        var result = new Struct();
        while (true)
        {
            Next(ref r);
            if (r.TokenType == JsonTokenType.EndObject)
            {
                return result;
            }

            PushName(ref r);
            var key = r.GetString()!;
            Next(ref r);
            var value = ReadValue(ref r, null);
            if (value is not null)
            {
                result.Fields[key] = value;
            }

            Pop();
        }
    }

    private ListValue ReadListValue(ref Utf8JsonReader r, FieldInfo? field)
    {
        var result = new ListValue();
        PushIndex();
        for (var index = 0; ; index++)
        {
            Next(ref r);
            if (r.TokenType == JsonTokenType.EndArray)
            {
                break;
            }

            SetIndex(index);
            var value = ReadValue(ref r, field);
            if (value is not null)
            {
                result.Values.Add(value);
            }
        }

        Pop();
        return result;
    }

    private Value? ReadValue(ref Utf8JsonReader r, FieldInfo? field)
    {
        switch (r.TokenType)
        {
            case JsonTokenType.Null:
                return Value.ForNull();
            case JsonTokenType.True:
                return Value.ForBool(true);
            case JsonTokenType.False:
                return Value.ForBool(false);
            case JsonTokenType.String:
                return Value.ForString(r.GetString()!);
            case JsonTokenType.Number:
                if (r.TryGetDouble(out var number) && double.IsFinite(number))
                {
                    return Value.ForNumber(number);
                }

                Invalid(ref r, field, MessageInfo.For(Value.Descriptor), "the number is out of range for a double");
                return null;
            case JsonTokenType.StartObject:
                return new Value { StructValue = ReadStruct(ref r) };
            case JsonTokenType.StartArray:
                return new Value { ListValue = ReadListValue(ref r, field) };
            default:
                Invalid(ref r, field, MessageInfo.For(Value.Descriptor), "unexpected JSON token");
                return null;
        }
    }

    // ---------------------------------------------------------------- reporting

    /// <summary>Skips the current value, keeps it raw and reports it. Always false (for "did it fit").</summary>
    private bool Invalid(ref Utf8JsonReader r, FieldInfo? field, MessageInfo? type, string error)
    {
        var json = CaptureRaw(ref r);
        var pointer = CurrentPointer();
        string subject;
        string? typeUrl;
        if (field is not null)
        {
            var container = field.Descriptor.ContainingType;
            subject = $"field '{field.Descriptor.Name}' of {container.FullName}";
            typeUrl = TypeResolver.TypeUrlPrefix + container.FullName;
        }
        else
        {
            subject = type?.Descriptor.FullName ?? "the value";
            typeUrl = type?.TypeUrl;
        }

        (_raw ??= []).Add(new RawPayload(_source, pointer, typeUrl, $"invalid value for {subject}: {error}", json));
        Add(new DecodeDiagnostic(DiagnosticLevel.Warning, DiagnosticCodes.InvalidValue, _source, pointer,
            $"Invalid value for {subject} ({error}); it was skipped and kept raw.", typeUrl));
        return false;
    }

    private void UnknownField(ref Utf8JsonReader r, MessageInfo info)
    {
        var name = SegmentName(_path[_depth - 1]);
        var json = CaptureRaw(ref r);
        var pointer = CurrentPointer();
        (_raw ??= []).Add(new RawPayload(_source, pointer, info.TypeUrl, $"unknown field '{name}' of {info.Descriptor.FullName}", json));
        Add(new DecodeDiagnostic(DiagnosticLevel.Warning, DiagnosticCodes.UnknownField, _source, pointer,
            $"{info.Descriptor.FullName} has no field '{name}'; its value was kept raw.", info.TypeUrl));
    }

    private void Warn(string code, string typeName, string message) =>
        Add(new DecodeDiagnostic(DiagnosticLevel.Warning, code, _source, CurrentPointer(), message, TypeResolver.TypeUrlPrefix + typeName));

    private void Error(string message) =>
        Add(new DecodeDiagnostic(DiagnosticLevel.Error, DiagnosticCodes.InvalidResource, _source, CurrentPointer(), message));

    private void Add(DecodeDiagnostic diagnostic) => (_diagnostics ??= []).Add(diagnostic);

    /// <summary>The exact JSON text of the current value; leaves the reader on its last token.</summary>
    private string CaptureRaw(ref Utf8JsonReader r)
    {
        var start = (int)r.TokenStartIndex;
        if (r.TokenType is JsonTokenType.StartObject or JsonTokenType.StartArray)
        {
            r.Skip();
        }

        var end = (int)r.BytesConsumed;
        return Encoding.UTF8.GetString(_data.Span[start..end]);
    }

    private static string Describe(JsonTokenType token) => token switch
    {
        JsonTokenType.StartArray => "an array",
        JsonTokenType.String => "a string",
        JsonTokenType.Number => "a number",
        JsonTokenType.True or JsonTokenType.False => "a boolean",
        JsonTokenType.Null => "null",
        _ => token.ToString(),
    };

    private static void Next(ref Utf8JsonReader r)
    {
        if (!r.Read())
        {
            throw new JsonException("The JSON ends before the value is complete.");
        }
    }

    // ---------------------------------------------------------------- path

    private struct Segment
    {
        public int Index; // >= 0: an array index
        public int NameStart;
        public int NameLength;
        public bool Escaped;
    }

    private void PushName(ref Utf8JsonReader r)
    {
        if (_depth == _path.Length)
        {
            Array.Resize(ref _path, _path.Length * 2);
            Array.Resize(ref _prefixes, _path.Length);
        }

        _prefixes[_depth] = null;
        _path[_depth++] = new Segment { Index = -1, NameStart = (int)r.TokenStartIndex + 1, NameLength = r.ValueSpan.Length, Escaped = r.ValueIsEscaped };
    }

    private void PushIndex()
    {
        if (_depth == _path.Length)
        {
            Array.Resize(ref _path, _path.Length * 2);
            Array.Resize(ref _prefixes, _path.Length);
        }

        _prefixes[_depth] = null;
        _path[_depth++] = new Segment { Index = 0 };
    }

    private void SetIndex(int index)
    {
        _path[_depth - 1].Index = index;
        _prefixes[_depth - 1] = null;
    }

    private void Pop() => _depth--;

    private string SegmentName(Segment segment)
    {
        var raw = _data.Span.Slice(segment.NameStart, segment.NameLength);
        if (!segment.Escaped)
        {
            return Encoding.UTF8.GetString(raw);
        }

        var quoted = new Utf8JsonReader(_data.Span.Slice(segment.NameStart - 1, segment.NameLength + 2));
        quoted.Read();
        return quoted.GetString()!;
    }

    private JsonPointer CurrentPointer()
    {
        if (_depth == 0)
        {
            return _at;
        }

        // Reuse the longest cached prefix; each segment's pointer is built once while it is unchanged.
        var known = _depth - 1;
        while (known >= 0 && _prefixes[known] is null)
        {
            known--;
        }

        var pointer = known >= 0 ? _prefixes[known]! : _at.Value;
        for (var i = known + 1; i < _depth; i++)
        {
            pointer = Extend(pointer, _path[i]);
            _prefixes[i] = pointer;
        }

        return JsonPointer.Parse(pointer);
    }

    /// <summary><paramref name="prefix"/> + "/" + the escaped token of <paramref name="segment"/>, in one allocation when possible.</summary>
    private string Extend(string prefix, Segment segment)
    {
        if (segment.Index >= 0)
        {
            Span<char> digits = stackalloc char[11];
            segment.Index.TryFormat(digits, out var written, default, CultureInfo.InvariantCulture);
            return string.Concat(prefix.AsSpan(), "/", digits[..written]);
        }

        var raw = _data.Span.Slice(segment.NameStart, segment.NameLength);
        if (segment.Escaped || raw.IndexOfAny((byte)'~', (byte)'/') >= 0)
        {
            return prefix + "/" + JsonPointer.Escape(SegmentName(segment));
        }

        var length = prefix.Length + 1 + Encoding.UTF8.GetMaxCharCount(raw.Length);
        if (_chars.Length < length)
        {
            _chars = new char[Math.Max(length, _chars.Length * 2)];
        }

        prefix.CopyTo(_chars);
        _chars[prefix.Length] = '/';
        var count = Encoding.UTF8.GetChars(raw, _chars.AsSpan(prefix.Length + 1));
        return new string(_chars, 0, prefix.Length + 1 + count);
    }
}
