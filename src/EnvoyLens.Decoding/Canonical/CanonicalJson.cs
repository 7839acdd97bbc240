using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using EnvoyLens.Core;
using EnvoyLens.ProtoJson;
using Google.Protobuf;
using Google.Protobuf.Collections;
using Google.Protobuf.Reflection;
using Google.Protobuf.WellKnownTypes;

namespace EnvoyLens.Decoding.Canonical;

/// <summary>
/// Turns a decoded message into its canonical JSON tree: proto field names, proto3 defaults omitted (so a default
/// spelled out and an absent field are the same), map keys sorted, <c>Any</c> unpacked under its canonical
/// (v3) type URL, well-known types in their proto3 JSON form. An <c>Any</c> whose type is unknown is filled from the
/// raw JSON the reader kept for it (keys sorted), found by its place in the document.
/// </summary>
internal sealed class CanonicalJson
{
    private readonly TypeResolver _resolver;
    private readonly IReadOnlyDictionary<string, string>? _raw;

    /// <param name="raw">Raw JSON of unknown-type Anys by <see cref="NormalizePointer"/> of their place; null when there are none.</param>
    /// <summary>
    /// The key that marks a payload read from protobuf bytes whose type EnvoyLens has no schema for (a control plane's
    /// Istio extension): its content cannot be shown, and the diff does not compare it.
    /// </summary>
    public const string UnreadKey = "@unread";

    public CanonicalJson(TypeResolver resolver, IReadOnlyDictionary<string, string>? raw)
    {
        _resolver = resolver;
        _raw = raw is { Count: > 0 } ? raw : null;
    }

    /// <summary>A JSON pointer with field names folded (lower case, no underscores) so snake_case and camelCase places compare equal.</summary>
    public static string NormalizePointer(string pointer) =>
        pointer.Replace("_", string.Empty, StringComparison.Ordinal).ToLowerInvariant();

    /// <summary>Render an <c>Any</c> of an unknown type with <see cref="UnreadKey"/> (for messages read from protobuf bytes, which have no raw JSON).</summary>
    public bool MarkUnread { get; init; }

    public JsonObject Message(IMessage message, string at) => RenderMessage(message, at);

    public JsonObject Any(Any any, string at)
    {
        var node = RenderAny(any, at);
        return node as JsonObject ?? new JsonObject { ["@type"] = any.TypeUrl };
    }

    private JsonObject RenderMessage(IMessage message, string at)
    {
        var result = new JsonObject();
        var fields = message.Descriptor.Fields.InFieldNumberOrder()
            .OrderBy(f => f.Name, StringComparer.Ordinal);
        foreach (var field in fields)
        {
            var value = field.Accessor.GetValue(message);
            var here = _raw is null ? at : at + "/" + NormalizePointer(field.Name);
            JsonNode? node;
            if (field.IsMap)
            {
                node = RenderMap(field, (System.Collections.IDictionary)value, here);
            }
            else if (field.IsRepeated)
            {
                node = RenderList(field, (System.Collections.IList)value, here);
            }
            else
            {
                if (!IsSet(field, message, value))
                {
                    continue;
                }

                node = RenderValue(field, value, here);
            }

            if (node is not null)
            {
                result[field.Name] = node;
            }
        }

        return result;
    }

    private static bool IsSet(FieldDescriptor field, IMessage message, object? value)
    {
        if (field.RealContainingOneof is { } oneof)
        {
            return oneof.Accessor.GetCaseFieldDescriptor(message) == field;
        }

        if (field.FieldType == FieldType.Message)
        {
            return value is not null;
        }

        if (field.HasPresence)
        {
            return field.Accessor.HasValue(message);
        }

        return value switch
        {
            null => false,
            bool b => b,
            string s => s.Length > 0,
            ByteString bs => bs.Length > 0,
            IMessage => true,
            System.Enum e => Convert.ToInt64(e, CultureInfo.InvariantCulture) != 0,
            int i => i != 0,
            long l => l != 0,
            uint u => u != 0,
            ulong ul => ul != 0,
            double d => d != 0 || double.IsNegative(d),
            float f => f != 0 || float.IsNegative(f),
            _ => true,
        };
    }

    private JsonArray? RenderList(FieldDescriptor field, System.Collections.IList list, string at)
    {
        if (list.Count == 0)
        {
            return null;
        }

        var array = new JsonArray();
        for (var i = 0; i < list.Count; i++)
        {
            array.Add(RenderValue(field, list[i], _raw is null ? at : at + "/" + i.ToString(CultureInfo.InvariantCulture)));
        }

        return array;
    }

    private JsonObject? RenderMap(FieldDescriptor field, System.Collections.IDictionary map, string at)
    {
        if (map.Count == 0)
        {
            return null;
        }

        var valueField = field.MessageType.FindFieldByNumber(2);
        var entries = new List<(string Key, object? Value)>(map.Count);
        foreach (System.Collections.DictionaryEntry entry in map)
        {
            entries.Add((KeyText(entry.Key), entry.Value));
        }

        var result = new JsonObject();
        foreach (var (key, value) in entries.OrderBy(e => e.Key, StringComparer.Ordinal))
        {
            result[key] = RenderValue(valueField, value, _raw is null ? at : at + "/" + NormalizePointer(key));
        }

        return result;
    }

    private static string KeyText(object key) => key switch
    {
        bool b => b ? "true" : "false",
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => key.ToString() ?? string.Empty,
    };

    private JsonNode? RenderValue(FieldDescriptor field, object? value, string at)
    {
        switch (value)
        {
            case null:
                return null;
            case IMessage message:
                return RenderMessageValue(message, at);
            case ByteString bytes:
                return JsonValue.Create(bytes.ToBase64());
            case System.Enum e:
                var number = Convert.ToInt32(e, CultureInfo.InvariantCulture);
                var name = field.EnumType?.FindValueByNumber(number)?.Name;
                return name is not null ? JsonValue.Create(name) : JsonValue.Create(number);
            default:
                return Scalar(value);
        }
    }

    private static JsonNode? Scalar(object value) => value switch
    {
        bool b => JsonValue.Create(b),
        string s => JsonValue.Create(s),
        int i => JsonValue.Create(i),
        long l => JsonValue.Create(l),
        uint u => JsonValue.Create(u),
        ulong ul => JsonValue.Create(ul),
        double d => double.IsFinite(d) ? JsonValue.Create(d) : JsonValue.Create(d.ToString(CultureInfo.InvariantCulture)),
        float f => float.IsFinite(f) ? JsonValue.Create((double)f) : JsonValue.Create(f.ToString(CultureInfo.InvariantCulture)),
        ByteString bs => JsonValue.Create(bs.ToBase64()),
        _ => JsonValue.Create(Convert.ToString(value, CultureInfo.InvariantCulture)),
    };

    private JsonNode? RenderMessageValue(IMessage message, string at) => message switch
    {
        Any any => RenderAny(any, at),
        Duration d => JsonValue.Create(DurationText(d.Seconds, d.Nanos)),
        Timestamp t => JsonValue.Create(TimeText.UtcPrecise(t.ToDateTimeOffset())),
        Struct s => StructNode(s),
        Value v => ValueNode(v),
        ListValue l => new JsonArray(l.Values.Select(ValueNode).ToArray()),
        FieldMask m => JsonValue.Create(string.Join(',', m.Paths)),
        DoubleValue w => Scalar(w.Value),
        FloatValue w => Scalar(w.Value),
        Int64Value w => Scalar(w.Value),
        UInt64Value w => Scalar(w.Value),
        Int32Value w => Scalar(w.Value),
        UInt32Value w => Scalar(w.Value),
        BoolValue w => Scalar(w.Value),
        StringValue w => Scalar(w.Value),
        BytesValue w => Scalar(w.Value),
        _ => RenderMessage(message, at),
    };

    private JsonNode RenderAny(Any any, string at)
    {
        if (any.TypeUrl.Length == 0 && any.Value.IsEmpty)
        {
            // An empty Any ("{}" in JSON) has no type to name.
            return new JsonObject();
        }

        var resolved = any.TypeUrl.Length == 0 ? null : _resolver.Resolve(any.TypeUrl);
        if (resolved is null)
        {
            return UnknownAny(any, at);
        }

        var payload = resolved.Descriptor.Parser.ParseFrom(any.Value);
        JsonObject body;
        var rendered = RenderMessageValue(payload, at);
        if (rendered is JsonObject o && payload is not Struct)
        {
            body = o;
        }
        else
        {
            // Well-known types inside an Any carry their JSON form under "value".
            body = new JsonObject { ["value"] = rendered };
        }

        body["@type"] = resolved.CanonicalTypeUrl;
        return Sort(body);
    }

    private JsonNode UnknownAny(Any any, string at)
    {
        var typeUrl = TypeResolver.TypeUrlPrefix + TypeResolver.FullNameOf(any.TypeUrl);
        if (_raw is not null && _raw.TryGetValue(at, out var json))
        {
            try
            {
                if (SortedCopy(JsonNode.Parse(json)) is JsonObject obj)
                {
                    obj["@type"] = typeUrl;
                    return Sort(obj);
                }
            }
            catch (Exception e) when (e is JsonException or ArgumentException or InvalidOperationException)
            {
                // Kept raw as JSON no tree can hold (malformed, or a key given twice): shown and compared by its text,
                // as its fingerprint text is (RawFingerprintText).
                return new JsonObject { ["@type"] = typeUrl, ["raw"] = json };
            }
        }

        if (MarkUnread)
        {
            return new JsonObject
            {
                ["@type"] = typeUrl,
                [UnreadKey] = $"{any.Value.Length.ToString(CultureInfo.InvariantCulture)} bytes of protobuf of a type EnvoyLens has no schema for",
            };
        }

        return new JsonObject { ["@type"] = typeUrl };
    }

    /// <summary>
    /// A text for fingerprints that is equal only when <see cref="UnknownAny"/> renders equal trees from two raw JSON
    /// texts: the key-sorted compact JSON (so layout and key order do not matter), or the text itself, tagged apart,
    /// when it cannot be parsed.
    /// </summary>
    internal static string RawFingerprintText(string json)
    {
        try
        {
            return "s" + SortedCopy(JsonNode.Parse(json))?.ToJsonString();
        }
        catch (Exception e) when (e is JsonException or ArgumentException or InvalidOperationException)
        {
            return "r" + json;
        }
    }

    private static JsonObject Sort(JsonObject obj)
    {
        var items = obj.OrderBy(p => p.Key, StringComparer.Ordinal).ToList();
        obj.Clear();
        var sorted = new JsonObject();
        foreach (var (key, value) in items)
        {
            sorted[key] = value;
        }

        return sorted;
    }

    private static JsonNode? SortedCopy(JsonNode? node) => node switch
    {
        JsonObject o => new JsonObject(o.OrderBy(p => p.Key, StringComparer.Ordinal)
            .Select(p => KeyValuePair.Create(p.Key, SortedCopy(p.Value)))),
        JsonArray a => new JsonArray(a.Select(SortedCopy).ToArray()),
        null => null,
        _ => node.DeepClone(),
    };

    private static JsonNode StructNode(Struct s)
    {
        var obj = new JsonObject();
        foreach (var (key, value) in s.Fields.OrderBy(f => f.Key, StringComparer.Ordinal))
        {
            obj[key] = ValueNode(value);
        }

        return obj;
    }

    private static JsonNode? ValueNode(Value v) => v.KindCase switch
    {
        Value.KindOneofCase.StringValue => JsonValue.Create(v.StringValue),
        Value.KindOneofCase.NumberValue => JsonValue.Create(v.NumberValue),
        Value.KindOneofCase.BoolValue => JsonValue.Create(v.BoolValue),
        Value.KindOneofCase.StructValue => StructNode(v.StructValue),
        Value.KindOneofCase.ListValue => new JsonArray(v.ListValue.Values.Select(ValueNode).ToArray()),
        _ => null,
    };

    /// <summary>The proto3 JSON form of a duration: seconds with 0, 3, 6 or 9 fractional digits and an <c>s</c>.</summary>
    internal static string DurationText(long seconds, int nanos)
    {
        var negative = seconds < 0 || nanos < 0;
        var sb = new StringBuilder();
        if (negative)
        {
            sb.Append('-');
        }

        sb.Append(Math.Abs(seconds).ToString(CultureInfo.InvariantCulture));
        var n = Math.Abs(nanos);
        if (n != 0)
        {
            sb.Append('.');
            if (n % 1_000_000 == 0)
            {
                sb.Append((n / 1_000_000).ToString("D3", CultureInfo.InvariantCulture));
            }
            else if (n % 1_000 == 0)
            {
                sb.Append((n / 1_000).ToString("D6", CultureInfo.InvariantCulture));
            }
            else
            {
                sb.Append(n.ToString("D9", CultureInfo.InvariantCulture));
            }
        }

        return sb.Append('s').ToString();
    }
}
