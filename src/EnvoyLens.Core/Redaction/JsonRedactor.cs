using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace EnvoyLens.Core.Redaction;

/// <summary>The result of redacting one JSON document.</summary>
/// <param name="Content">The document with secrets replaced; the same bytes when nothing was replaced.</param>
/// <param name="Pointers">JSON pointers (RFC 6901, relative to the document) of every replaced value, in document order.</param>
public sealed record RedactionResult(ReadOnlyMemory<byte> Content, IReadOnlyList<string> Pointers)
{
    /// <summary>True when something was replaced.</summary>
    public bool Changed => Pointers.Count > 0;
}

/// <summary>
/// Applies <see cref="RedactionRules"/> to a JSON document in one forward pass, keeping every byte that is not a secret
/// as it was (so hashes, offsets of other values and number spellings are kept): the only implementation of
/// redaction, used by the bundle writer before anything reaches the disk and by decoding before anything is shown.
/// Values Envoy already redacted are left alone and not listed.
/// </summary>
public static class JsonRedactor
{
    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, Indented = false };

    /// <summary>Redacts <paramref name="content"/>; a document that is not JSON is an <see cref="EnvoyLensException"/> naming <paramref name="source"/>.</summary>
    public static RedactionResult Redact(ReadOnlyMemory<byte> content, string source)
    {
        var splices = new List<(long Start, long End, byte[] With)>();
        var pointers = new List<string>();
        var span = content.Span;
        var reader = new Utf8JsonReader(span, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true, MaxDepth = 512 });

        // The path to the current token, kept without allocating: a segment is a property name (its bytes in the
        // document, or the unescaped string when escaped) or an array index; names become strings only for a pointer.
        var segments = new List<Segment>();
        var property = default(Segment);
        var hasProperty = false;
        Span<char> nameChars = stackalloc char[MaxLookupChars];
        try
        {
            while (reader.Read())
            {
                var token = reader.TokenType;
                if (token == JsonTokenType.PropertyName)
                {
                    property = reader.ValueIsEscaped
                        ? new Segment(reader.GetString()!, 0, 0, -1)
                        : new Segment(null, (int)reader.TokenStartIndex + 1, reader.ValueSpan.Length, -1);
                    hasProperty = true;
                    var place = PlaceOf(reader.ValueSpan, property, nameChars);
                    if (place == RedactionPlace.NodeMetadata && (segments.Count == 0 || segments[^1].Index >= 0 || !IsNode(segments[^1], span) || segments[^1].IsArray))
                    {
                        place = null;
                    }

                    if (place is not { } found)
                    {
                        continue;
                    }

                    var pointer = Pointer(segments, property, span);
                    reader.Read();
                    var start = reader.TokenStartIndex;
                    using var value = JsonDocument.ParseValue(ref reader);
                    var end = reader.BytesConsumed;
                    var listed = new List<string>();
                    var replacement = found switch
                    {
                        RedactionPlace.SecretField => SecretField(value.RootElement, pointer, listed),
                        RedactionPlace.SecretConfig => Rewrite(value.RootElement, pointer, listed, SecretConfigNode),
                        RedactionPlace.HeaderList => Rewrite(value.RootElement, pointer, listed, HeaderListNode),
                        _ => Rewrite(value.RootElement, pointer, listed, MetadataNode),
                    };
                    if (replacement is not null)
                    {
                        splices.Add((start, end, replacement));
                        pointers.AddRange(listed);
                    }

                    hasProperty = false;
                    continue;
                }

                if (token is JsonTokenType.EndObject or JsonTokenType.EndArray)
                {
                    segments.RemoveAt(segments.Count - 1);
                    continue;
                }

                Segment segment;
                if (segments.Count == 0)
                {
                    segment = Segment.Root;
                }
                else if (segments[^1].IsArray)
                {
                    var parent = segments[^1];
                    segment = new Segment(null, 0, 0, parent.NextIndex);
                    segments[^1] = parent with { NextIndex = parent.NextIndex + 1 };
                }
                else
                {
                    segment = hasProperty ? property : Segment.Root;
                }

                if (token is JsonTokenType.StartObject or JsonTokenType.StartArray)
                {
                    segments.Add(segment with { IsArray = token == JsonTokenType.StartArray, NextIndex = 0 });
                }
            }
        }
        catch (JsonException ex)
        {
            throw new EnvoyLensException(
                $"{source} cannot be redacted: it is not valid JSON (line {((ex.LineNumber ?? 0) + 1).ToString(CultureInfo.InvariantCulture)}).", ex);
        }

        if (splices.Count == 0)
        {
            return new RedactionResult(content, []);
        }

        using var output = new MemoryStream(content.Length);
        long at = 0;
        foreach (var (start, end, with) in splices)
        {
            output.Write(span[(int)at..(int)start]);
            output.Write(with);
            at = end;
        }

        output.Write(span[(int)at..]);
        return new RedactionResult(output.ToArray(), pointers);
    }

    /// <summary>True when the first non-blank byte opens a JSON object or array.</summary>
    public static bool LooksLikeJson(ReadOnlySpan<byte> content)
    {
        var rest = content.StartsWith("\uFEFF"u8) ? content[3..] : content;
        return rest.TrimStart(" \t\r\n"u8) is [(byte)'{' or (byte)'[', ..];
    }

    /// <summary>The longest property name looked up without allocating: 128 UTF-8 bytes, more than any rule field has.</summary>
    private const int MaxLookupChars = 128;

    private static readonly Dictionary<string, RedactionPlace>.AlternateLookup<ReadOnlySpan<char>> PlaceLookup = RedactionRules.Places.GetAlternateLookup<ReadOnlySpan<char>>();

    /// <summary>The place of the property just read, decoded into <paramref name="chars"/> instead of a string.</summary>
    private static RedactionPlace? PlaceOf(ReadOnlySpan<byte> bytes, Segment property, scoped Span<char> chars)
    {
        if (property.Name is { } name)
        {
            return RedactionRules.PlaceOf(name);
        }

        if (bytes.Length > MaxLookupChars)
        {
            return null;
        }

        var count = System.Text.Encoding.UTF8.GetChars(bytes, chars);
        return PlaceLookup.TryGetValue(chars[..count], out var place) ? place : null;
    }

    private static bool IsNode(Segment segment, ReadOnlySpan<byte> document) =>
        segment.Name is { } name ? name == "node" : segment.Length == 4 && document.Slice(segment.Start, 4).SequenceEqual("node"u8);

    private static string Pointer(List<Segment> segments, Segment last, ReadOnlySpan<byte> document)
    {
        var parts = new List<string>(segments.Count);
        for (var i = 1; i < segments.Count; i++)
        {
            parts.Add(JsonPointer.Escape(segments[i].Text(document)));
        }

        parts.Add(JsonPointer.Escape(last.Text(document)));
        return "/" + string.Join('/', parts);
    }

    /// <summary>
    /// One step of the path: a property name (<see cref="Name"/> when it was escaped in the document, else its bytes at
    /// <see cref="Start"/>), or an array index (<see cref="Index"/> ≥ 0). A container also counts its elements.
    /// </summary>
    private readonly record struct Segment(string? Name, int Start, int Length, int Index)
    {
        public static Segment Root => new(string.Empty, 0, 0, -1);

        public bool IsArray { get; init; }

        public int NextIndex { get; init; }

        public string Text(ReadOnlySpan<byte> document) =>
            Index >= 0 ? Index.ToString(CultureInfo.InvariantCulture) : Name ?? System.Text.Encoding.UTF8.GetString(document.Slice(Start, Length));
    }

    private static string Child(string pointer, string token) => pointer + "/" + JsonPointer.Escape(token);

    private static string Child(string pointer, int index) => pointer + "/" + index.ToString(CultureInfo.InvariantCulture);

    /// <summary>The marker as a JSON string, written without the serializer so that trimming keeps nothing it needs.</summary>
    private static byte[] MarkerJson()
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStringValue(RedactionRules.Marker);
        }

        return buffer.WrittenSpan.ToArray();
    }

    private static byte[]? SecretField(JsonElement value, string pointer, List<string> listed)
    {
        if (value.ValueKind == JsonValueKind.String)
        {
            if (RedactionRules.IsMarker(value.GetString()))
            {
                return null;
            }

            listed.Add(pointer);
            return MarkerJson();
        }

        if (value.ValueKind is not (JsonValueKind.Object or JsonValueKind.Array))
        {
            return null;
        }

        var inner = new List<string>();
        var bytes = Rewrite(value, pointer, inner, DataSourceNode);
        if (bytes is not null)
        {
            // The field is listed once, as Envoy's own redaction would name it; secrets nested in it by other rules too.
            listed.Add(pointer);
            listed.AddRange(inner.Where(p => !p.StartsWith(pointer + "/", StringComparison.Ordinal) || IsNestedRule(p, pointer)));
        }

        return bytes;
    }

    /// <summary>True for a pointer below <paramref name="field"/> that another rule (not the DataSource form) replaced.</summary>
    private static bool IsNestedRule(string pointer, string field)
    {
        var last = JsonPointer.Unescape(pointer[(pointer.LastIndexOf('/') + 1)..]);
        return last is not ("inline_bytes" or "inlineBytes" or "inline_string" or "inlineString");
    }

    /// <summary>Writes <paramref name="value"/> through <paramref name="node"/>; null when nothing was replaced.</summary>
    private static byte[]? Rewrite(JsonElement value, string pointer, List<string> listed, NodeWriter node)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
        {
            node(writer, value, pointer, listed);
        }

        return listed.Count > 0 ? buffer.ToArray() : null;
    }

    private delegate void NodeWriter(Utf8JsonWriter writer, JsonElement value, string pointer, List<string> listed);

    /// <summary>
    /// The property <paramref name="property"/> of an object inside a value a rule already took (the same rules as the
    /// forward pass, so a secret nested in another rule's value is not missed); false when no rule names it.
    /// </summary>
    private static bool TryRule(Utf8JsonWriter writer, JsonProperty property, string? parent, string pointer, List<string> listed)
    {
        var place = RedactionRules.PlaceOf(property.Name);
        if (place is null || (place == RedactionPlace.NodeMetadata && parent != "node"))
        {
            return false;
        }

        writer.WritePropertyName(property.Name);
        switch (place)
        {
            case RedactionPlace.SecretField when property.Value.ValueKind == JsonValueKind.String:
                if (RedactionRules.IsMarker(property.Value.GetString()))
                {
                    property.Value.WriteTo(writer);
                }
                else
                {
                    listed.Add(pointer);
                    writer.WriteStringValue(RedactionRules.Marker);
                }

                break;
            case RedactionPlace.SecretField:
                var inner = new List<string>();
                DataSourceNode(writer, property.Value, pointer, inner);
                if (inner.Count > 0)
                {
                    // Listed as the field, as at the top level: the inline_bytes it held is now an inline_string.
                    listed.Add(pointer);
                    listed.AddRange(inner.Where(p => IsNestedRule(p, pointer)));
                }

                break;
            case RedactionPlace.SecretConfig:
                SecretConfigNode(writer, property.Value, pointer, listed);
                break;
            case RedactionPlace.HeaderList:
                HeaderListNode(writer, property.Value, pointer, listed);
                break;
            default:
                MetadataNode(writer, property.Value, pointer, listed);
                break;
        }

        return true;
    }

    /// <summary>A value no rule took: written as read, except where a rule applies further down.</summary>
    private static void General(Utf8JsonWriter writer, JsonElement value, string? parent, string pointer, List<string> listed)
    {
        switch (value.ValueKind)
        {
            case JsonValueKind.Object:
                writer.WriteStartObject();
                foreach (var p in value.EnumerateObject())
                {
                    var here = Child(pointer, p.Name);
                    if (!TryRule(writer, p, parent, here, listed))
                    {
                        writer.WritePropertyName(p.Name);
                        General(writer, p.Value, p.Name, here, listed);
                    }
                }

                writer.WriteEndObject();
                break;
            case JsonValueKind.Array:
                writer.WriteStartArray();
                var i = 0;
                foreach (var item in value.EnumerateArray())
                {
                    General(writer, item, null, Child(pointer, i++), listed);
                }

                writer.WriteEndArray();
                break;
            default:
                value.WriteTo(writer);
                break;
        }
    }

    /// <summary>Every <c>inline_bytes</c> / <c>inline_string</c> at any depth becomes <c>"inline_string": "[redacted]"</c>.</summary>
    private static void DataSourceNode(Utf8JsonWriter writer, JsonElement value, string pointer, List<string> listed) =>
        DataSourceNode(writer, value, null, pointer, listed);

    private static void DataSourceNode(Utf8JsonWriter writer, JsonElement value, string? parent, string pointer, List<string> listed)
    {
        switch (value.ValueKind)
        {
            case JsonValueKind.Object:
                writer.WriteStartObject();
                foreach (var p in value.EnumerateObject())
                {
                    if (p.Name is "inline_bytes" or "inlineBytes" or "inline_string" or "inlineString" && p.Value.ValueKind == JsonValueKind.String)
                    {
                        var text = p.Value.GetString();
                        var isBytes = p.Name.StartsWith("inline_b", StringComparison.Ordinal) || p.Name.StartsWith("inlineB", StringComparison.Ordinal);
                        if (text is RedactionRules.Marker || (isBytes && text is RedactionRules.MarkerBase64))
                        {
                            p.WriteTo(writer);
                        }
                        else
                        {
                            listed.Add(Child(pointer, p.Name));
                            writer.WriteString(p.Name.Contains('_', StringComparison.Ordinal) ? "inline_string" : "inlineString", RedactionRules.Marker);
                        }

                        continue;
                    }

                    var here = Child(pointer, p.Name);
                    if (!TryRule(writer, p, parent, here, listed))
                    {
                        writer.WritePropertyName(p.Name);
                        DataSourceNode(writer, p.Value, p.Name, here, listed);
                    }
                }

                writer.WriteEndObject();
                break;
            case JsonValueKind.Array:
                writer.WriteStartArray();
                var i = 0;
                foreach (var item in value.EnumerateArray())
                {
                    DataSourceNode(writer, item, null, Child(pointer, i++), listed);
                }

                writer.WriteEndArray();
                break;
            default:
                value.WriteTo(writer);
                break;
        }
    }

    /// <summary>Every string at any depth, except the values of <c>name</c> and <c>@type</c>, becomes the marker.</summary>
    private static void SecretConfigNode(Utf8JsonWriter writer, JsonElement value, string pointer, List<string> listed)
    {
        switch (value.ValueKind)
        {
            case JsonValueKind.Object:
                writer.WriteStartObject();
                foreach (var p in value.EnumerateObject())
                {
                    writer.WritePropertyName(p.Name);
                    if (p.Name is "name" or "@type" && p.Value.ValueKind == JsonValueKind.String)
                    {
                        p.Value.WriteTo(writer);
                    }
                    else
                    {
                        SecretConfigNode(writer, p.Value, Child(pointer, p.Name), listed);
                    }
                }

                writer.WriteEndObject();
                break;
            case JsonValueKind.Array:
                writer.WriteStartArray();
                var i = 0;
                foreach (var item in value.EnumerateArray())
                {
                    SecretConfigNode(writer, item, Child(pointer, i++), listed);
                }

                writer.WriteEndArray();
                break;
            case JsonValueKind.String when !RedactionRules.IsMarker(value.GetString()):
                listed.Add(pointer);
                writer.WriteStringValue(RedactionRules.Marker);
                break;
            default:
                value.WriteTo(writer);
                break;
        }
    }

    /// <summary>A list of <c>{key, value}</c> or <c>{header: {key, value}}</c>: the values of secret headers become the marker.</summary>
    private static void HeaderListNode(Utf8JsonWriter writer, JsonElement value, string pointer, List<string> listed)
    {
        if (value.ValueKind != JsonValueKind.Array)
        {
            General(writer, value, null, pointer, listed);
            return;
        }

        writer.WriteStartArray();
        var i = 0;
        foreach (var entry in value.EnumerateArray())
        {
            var here = Child(pointer, i++);
            if (entry.ValueKind == JsonValueKind.Object && entry.TryGetProperty("header", out var header) && header.ValueKind == JsonValueKind.Object)
            {
                writer.WriteStartObject();
                foreach (var p in entry.EnumerateObject())
                {
                    var at = Child(here, p.Name);
                    if (p.Name == "header")
                    {
                        writer.WritePropertyName(p.Name);
                        Header(writer, p.Value, at, listed);
                    }
                    else if (!TryRule(writer, p, null, at, listed))
                    {
                        writer.WritePropertyName(p.Name);
                        General(writer, p.Value, p.Name, at, listed);
                    }
                }

                writer.WriteEndObject();
            }
            else
            {
                Header(writer, entry, here, listed);
            }
        }

        writer.WriteEndArray();
    }

    private static void Header(Utf8JsonWriter writer, JsonElement header, string pointer, List<string> listed)
    {
        if (header.ValueKind != JsonValueKind.Object)
        {
            General(writer, header, null, pointer, listed);
            return;
        }

        var secret = header.TryGetProperty("key", out var key) && key.ValueKind == JsonValueKind.String && RedactionRules.IsSecretHeader(key.GetString()!);
        writer.WriteStartObject();
        foreach (var p in header.EnumerateObject())
        {
            var here = Child(pointer, p.Name);
            if (secret && p.Name is "value" or "raw_value" or "rawValue" && p.Value.ValueKind == JsonValueKind.String)
            {
                if (RedactionRules.IsMarker(p.Value.GetString()))
                {
                    p.WriteTo(writer);
                }
                else
                {
                    listed.Add(here);
                    writer.WriteString(p.Name, p.Name == "value" ? RedactionRules.Marker : RedactionRules.MarkerBase64);
                }
            }
            else if (!TryRule(writer, p, null, here, listed))
            {
                writer.WritePropertyName(p.Name);
                General(writer, p.Value, p.Name, here, listed);
            }
        }

        writer.WriteEndObject();
    }

    /// <summary>Node metadata: the value of every key saying it holds a credential, at any depth, becomes the marker.</summary>
    private static void MetadataNode(Utf8JsonWriter writer, JsonElement value, string pointer, List<string> listed) =>
        MetadataNode(writer, value, null, pointer, listed);

    private static void MetadataNode(Utf8JsonWriter writer, JsonElement value, string? parent, string pointer, List<string> listed)
    {
        switch (value.ValueKind)
        {
            case JsonValueKind.Object:
                writer.WriteStartObject();
                foreach (var p in value.EnumerateObject())
                {
                    var here = Child(pointer, p.Name);
                    if (RedactionRules.IsSecretMetadataKey(p.Name))
                    {
                        writer.WritePropertyName(p.Name);
                        if (p.Value.ValueKind == JsonValueKind.String && RedactionRules.IsMarker(p.Value.GetString()))
                        {
                            p.Value.WriteTo(writer);
                        }
                        else
                        {
                            listed.Add(here);
                            writer.WriteStringValue(RedactionRules.Marker);
                        }
                    }
                    else if (!TryRule(writer, p, parent, here, listed))
                    {
                        writer.WritePropertyName(p.Name);
                        MetadataNode(writer, p.Value, p.Name, here, listed);
                    }
                }

                writer.WriteEndObject();
                break;
            case JsonValueKind.Array:
                writer.WriteStartArray();
                var i = 0;
                foreach (var item in value.EnumerateArray())
                {
                    MetadataNode(writer, item, null, Child(pointer, i++), listed);
                }

                writer.WriteEndArray();
                break;
            default:
                value.WriteTo(writer);
                break;
        }
    }
}
