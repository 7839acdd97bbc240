using System.Buffers;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Reflection;
using System.Text.Json;
using EnvoyLens.Model;
using Google.Protobuf.Reflection;
using Google.Protobuf.WellKnownTypes;
using CoreV3 = Envoy.Config.Core.V3;
using MatcherV3 = Envoy.Type.Matcher.V3;

namespace EnvoyLens.Decoding.Normalize;

/// <summary>Conversions of small proto values (durations, timestamps, enums, structs, addresses, matchers) to model values.</summary>
internal static class ProtoValues
{
    /// <summary>A Duration as a TimeSpan; null when unset or out of range.</summary>
    public static TimeSpan? ToTimeSpan(Duration? duration)
    {
        if (duration is null)
        {
            return null;
        }

        try
        {
            return duration.ToTimeSpan();
        }
        catch (InvalidOperationException)
        {
            return null;
        }
    }

    /// <summary>A Timestamp as a UTC DateTimeOffset; null when unset or out of range.</summary>
    public static DateTimeOffset? ToDateTimeOffset(Timestamp? timestamp)
    {
        if (timestamp is null)
        {
            return null;
        }

        try
        {
            return timestamp.ToDateTimeOffset();
        }
        catch (InvalidOperationException)
        {
            return null;
        }
        catch (ArgumentOutOfRangeException)
        {
            return null;
        }
    }

    /// <summary>The proto name of an enum value (<c>INBOUND</c>, <c>ROUND_ROBIN</c>), or its number for values the generated enum does not declare.</summary>
    public static string EnumName<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicFields)] T>(T value)
        where T : struct, System.Enum => EnumNames<T>.Of(value);

    /// <summary>Null for empty strings.</summary>
    public static string? NullIfEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;

    /// <summary>A Struct as a detached JsonElement (non-finite numbers, which JSON cannot hold, become strings).</summary>
    public static JsonElement ToJsonElement(Struct value)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            WriteStruct(writer, value);
        }

        using var document = JsonDocument.Parse(buffer.WrittenMemory);
        return document.RootElement.Clone();
    }

    /// <summary>Envoy metadata's <c>filter_metadata</c> as a model metadata map.</summary>
    public static MetadataMap ToMetadata(CoreV3.Metadata? metadata)
    {
        if (metadata is null || metadata.FilterMetadata.Count == 0)
        {
            return MetadataMap.Empty;
        }

        var map = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        foreach (var (key, value) in metadata.FilterMetadata)
        {
            map[key] = ToJsonElement(value ?? new Struct());
        }

        return new MetadataMap(map);
    }

    /// <summary>The fields of a Struct, each as a JsonElement (node metadata, say).</summary>
    public static IReadOnlyDictionary<string, JsonElement> ToJsonFields(Struct? value)
    {
        var map = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        if (value is null || value.Fields.Count == 0)
        {
            return map;
        }

        var root = ToJsonElement(value);
        foreach (var property in root.EnumerateObject())
        {
            map[property.Name] = property.Value;
        }

        return map;
    }

    /// <summary>The fields of a Struct as text: strings as they are, other values as compact JSON.</summary>
    public static IReadOnlyDictionary<string, string> ToStringFields(Struct? value)
    {
        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        if (value is null)
        {
            return map;
        }

        foreach (var (key, field) in value.Fields)
        {
            if (field?.KindCase == Value.KindOneofCase.StringValue)
            {
                map[key] = field.StringValue;
            }
            else
            {
                var buffer = new ArrayBufferWriter<byte>(64);
                using (var writer = new Utf8JsonWriter(buffer))
                {
                    WriteValue(writer, field);
                }

                map[key] = System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan);
            }
        }

        return map;
    }

    /// <summary>An Envoy address as a model socket address; null when unset.</summary>
    public static SocketAddress? ToSocketAddress(CoreV3.Address? address)
    {
        if (address is null)
        {
            return null;
        }

        switch (address.AddressCase)
        {
            case CoreV3.Address.AddressOneofCase.SocketAddress:
                var socket = address.SocketAddress;
                int? port = socket.PortSpecifierCase == CoreV3.SocketAddress.PortSpecifierOneofCase.PortValue ? (int)socket.PortValue : null;
                return new SocketAddress(socket.Address, port, EnumName(socket.Protocol));
            case CoreV3.Address.AddressOneofCase.Pipe:
                return new SocketAddress(address.Pipe.Path, null, "TCP", "pipe");
            case CoreV3.Address.AddressOneofCase.EnvoyInternalAddress:
                var name = address.EnvoyInternalAddress.ServerListenerName;
                var endpointId = address.EnvoyInternalAddress.EndpointId;
                return new SocketAddress(string.IsNullOrEmpty(endpointId) ? name : name + "/" + endpointId, null, "TCP", "internal");
            default:
                return null;
        }
    }

    /// <summary>A CIDR range as <c>addr/len</c>.</summary>
    public static string ToCidr(CoreV3.CidrRange range) =>
        range.AddressPrefix + "/" + (range.PrefixLen ?? 0).ToString(CultureInfo.InvariantCulture);

    /// <summary>A string matcher; null when it holds no pattern.</summary>
    public static StringMatch? ToStringMatch(MatcherV3.StringMatcher? matcher, string? sanType = null)
    {
        if (matcher is null)
        {
            return null;
        }

        return matcher.MatchPatternCase switch
        {
            MatcherV3.StringMatcher.MatchPatternOneofCase.Exact => new StringMatch("exact", matcher.Exact, matcher.IgnoreCase, sanType),
            MatcherV3.StringMatcher.MatchPatternOneofCase.Prefix => new StringMatch("prefix", matcher.Prefix, matcher.IgnoreCase, sanType),
            MatcherV3.StringMatcher.MatchPatternOneofCase.Suffix => new StringMatch("suffix", matcher.Suffix, matcher.IgnoreCase, sanType),
            MatcherV3.StringMatcher.MatchPatternOneofCase.Contains => new StringMatch("contains", matcher.Contains, matcher.IgnoreCase, sanType),
            MatcherV3.StringMatcher.MatchPatternOneofCase.SafeRegex => new StringMatch("safe_regex", matcher.SafeRegex?.Regex ?? "", matcher.IgnoreCase, sanType),
            MatcherV3.StringMatcher.MatchPatternOneofCase.Custom => new StringMatch("custom", matcher.Custom?.Name ?? "", matcher.IgnoreCase, sanType),
            _ => null,
        };
    }

    /// <summary>
    /// The text of a data source: inline strings and bytes (UTF-8) as they are, a file name or environment variable
    /// name as that name. Null when unset.
    /// </summary>
    public static string? DataSourceText(CoreV3.DataSource? source) => source?.SpecifierCase switch
    {
        CoreV3.DataSource.SpecifierOneofCase.InlineString => source.InlineString,
        CoreV3.DataSource.SpecifierOneofCase.InlineBytes => source.InlineBytes.ToStringUtf8(),
        CoreV3.DataSource.SpecifierOneofCase.Filename => source.Filename,
        CoreV3.DataSource.SpecifierOneofCase.EnvironmentVariable => source.EnvironmentVariable,
        _ => null,
    };

    /// <summary>Whether a data source holds its content inline (rather than naming a file or environment variable).</summary>
    public static bool IsInline(CoreV3.DataSource source) =>
        source.SpecifierCase is CoreV3.DataSource.SpecifierOneofCase.InlineString or CoreV3.DataSource.SpecifierOneofCase.InlineBytes;

    private static void WriteStruct(Utf8JsonWriter writer, Struct value)
    {
        writer.WriteStartObject();
        foreach (var (key, field) in value.Fields)
        {
            writer.WritePropertyName(key);
            WriteValue(writer, field);
        }

        writer.WriteEndObject();
    }

    private static void WriteValue(Utf8JsonWriter writer, Value? value)
    {
        switch (value?.KindCase)
        {
            case Value.KindOneofCase.StringValue:
                writer.WriteStringValue(value.StringValue);
                break;
            case Value.KindOneofCase.NumberValue:
                var number = value.NumberValue;
                if (double.IsFinite(number))
                {
                    writer.WriteNumberValue(number);
                }
                else
                {
                    writer.WriteStringValue(number.ToString(CultureInfo.InvariantCulture));
                }

                break;
            case Value.KindOneofCase.BoolValue:
                writer.WriteBooleanValue(value.BoolValue);
                break;
            case Value.KindOneofCase.StructValue:
                WriteStruct(writer, value.StructValue);
                break;
            case Value.KindOneofCase.ListValue:
                writer.WriteStartArray();
                foreach (var item in value.ListValue.Values)
                {
                    WriteValue(writer, item);
                }

                writer.WriteEndArray();
                break;
            default:
                writer.WriteNullValue();
                break;
        }
    }

    /// <summary>Names from the generated enum's fields and their OriginalName attributes; the annotation keeps both under trimming.</summary>
    private static class EnumNames<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicFields)] T>
        where T : struct, System.Enum
    {
        private static readonly Dictionary<T, string> Names = Build();

        public static string Of(T value) =>
            Names.TryGetValue(value, out var name) ? name : Convert.ToInt64(value, CultureInfo.InvariantCulture).ToString(CultureInfo.InvariantCulture);

        private static Dictionary<T, string> Build()
        {
            var names = new Dictionary<T, string>();
            foreach (var field in typeof(T).GetFields(BindingFlags.Public | BindingFlags.Static))
            {
                var value = (T)field.GetValue(null)!;
                var original = field.GetCustomAttribute<OriginalNameAttribute>()?.Name ?? field.Name;
                names.TryAdd(value, original);
            }

            return names;
        }
    }
}
