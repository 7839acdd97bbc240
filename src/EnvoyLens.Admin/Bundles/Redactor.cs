using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using EnvoyLens.Core;

namespace EnvoyLens.Admin.Bundles;

/// <summary>The result of redacting one JSON document.</summary>
/// <param name="Content">The document with secrets replaced; the same array when nothing was replaced.</param>
/// <param name="Pointers">JSON pointers (RFC 6901) of every replaced value, in document order.</param>
public sealed record RedactionResult(byte[] Content, IReadOnlyList<string> Pointers);

/// <summary>
/// Replaces secrets in an admin JSON document before it is stored in a bundle, keeping every other byte as it was:
/// private keys, passwords, session ticket keys, generic secrets and inline JWKS (their <c>inline_bytes</c> /
/// <c>inline_string</c> become <c>"inline_string": "[redacted]"</c>, as Envoy itself writes them; a plain string
/// becomes <c>"[redacted]"</c>), and the value of every <c>authorization</c> entry of gRPC <c>initial_metadata</c>
/// (the bootstrap's ADS/HDS credentials). Values Envoy already redacted are left alone and not listed.
/// </summary>
public static class Redactor
{
    /// <summary>What a redacted value reads.</summary>
    public const string Marker = "[redacted]";

    private const string MarkerBase64 = "W3JlZGFjdGVkXQ==";

    private static readonly HashSet<string> SecretKeys = new(StringComparer.Ordinal)
    {
        "private_key", "privateKey", "password", "auth_password", "authPassword", "session_ticket_keys", "sessionTicketKeys",
        "generic_secret", "genericSecret", "local_jwks", "localJwks", "client_secret", "clientSecret",
    };

    private static readonly HashSet<string> SecretHeaders = new(StringComparer.OrdinalIgnoreCase) { "authorization", "proxy-authorization" };

    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, Indented = false };

    /// <summary>Redacts <paramref name="content"/>; a document that is not JSON is an <see cref="EnvoyLensException"/> naming <paramref name="source"/>.</summary>
    public static RedactionResult Redact(byte[] content, string source)
    {
        ArgumentNullException.ThrowIfNull(content);
        var splices = new List<(long Start, long End, byte[] With)>();
        var pointers = new List<string>();
        var reader = new Utf8JsonReader(content, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true, MaxDepth = 512 });
        var segments = new List<string>();
        var arrays = new List<int>();
        string? property = null;
        try
        {
            while (reader.Read())
            {
                var token = reader.TokenType;
                if (token == JsonTokenType.PropertyName)
                {
                    property = reader.GetString()!;
                    var isSecret = SecretKeys.Contains(property);
                    var isMetadata = property is "initial_metadata" or "initialMetadata";
                    if (!isSecret && !isMetadata)
                    {
                        continue;
                    }

                    var pointer = Pointer(segments, property);
                    reader.Read();
                    var start = reader.TokenStartIndex;
                    using var value = JsonDocument.ParseValue(ref reader);
                    var end = reader.BytesConsumed;
                    var found = new List<string>();
                    var replacement = isSecret ? RedactSecret(value.RootElement, pointer, found) : RedactMetadata(value.RootElement, pointer, found);
                    if (replacement is not null)
                    {
                        splices.Add((start, end, replacement));
                        pointers.AddRange(found);
                    }

                    property = null;
                    continue;
                }

                if (token is JsonTokenType.EndObject or JsonTokenType.EndArray)
                {
                    segments.RemoveAt(segments.Count - 1);
                    arrays.RemoveAt(arrays.Count - 1);
                    continue;
                }

                string segment;
                if (arrays.Count == 0)
                {
                    segment = string.Empty;
                }
                else if (arrays[^1] >= 0)
                {
                    segment = arrays[^1].ToString(CultureInfo.InvariantCulture);
                    arrays[^1]++;
                }
                else
                {
                    segment = property ?? string.Empty;
                }

                if (token is JsonTokenType.StartObject or JsonTokenType.StartArray)
                {
                    segments.Add(segment);
                    arrays.Add(token == JsonTokenType.StartArray ? 0 : -1);
                }
            }
        }
        catch (JsonException ex)
        {
            throw new EnvoyLensException(
                $"{source} cannot be redacted: it is not valid JSON (line {((ex.LineNumber ?? 0) + 1).ToString(CultureInfo.InvariantCulture)}); use --no-redact to keep it as read.", ex);
        }

        if (splices.Count == 0)
        {
            return new RedactionResult(content, []);
        }

        using var output = new MemoryStream(content.Length);
        long at = 0;
        foreach (var (start, end, with) in splices)
        {
            output.Write(content, (int)at, (int)(start - at));
            output.Write(with);
            at = end;
        }

        output.Write(content, (int)at, (int)(content.LongLength - at));
        return new RedactionResult(output.ToArray(), pointers);
    }

    private static string Pointer(List<string> segments, string last)
    {
        var parts = segments.Skip(1).Append(last).Select(s => s.Replace("~", "~0", StringComparison.Ordinal).Replace("/", "~1", StringComparison.Ordinal));
        return "/" + string.Join('/', parts);
    }

    private static byte[]? RedactSecret(JsonElement value, string pointer, List<string> found)
    {
        if (value.ValueKind == JsonValueKind.String)
        {
            if (value.GetString() is Marker or MarkerBase64)
            {
                return null;
            }

            found.Add(pointer);
            return JsonSerializer.SerializeToUtf8Bytes(Marker);
        }

        if (value.ValueKind is not (JsonValueKind.Object or JsonValueKind.Array))
        {
            return null;
        }

        var changed = false;
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
        {
            WriteRedacted(writer, value, ref changed);
        }

        if (!changed)
        {
            return null;
        }

        found.Add(pointer);
        return buffer.ToArray();
    }

    private static void WriteRedacted(Utf8JsonWriter writer, JsonElement value, ref bool changed)
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
                        var isMarker = text is Marker || (p.Name.StartsWith("inline_b", StringComparison.Ordinal) || p.Name.StartsWith("inlineB", StringComparison.Ordinal) ? text is MarkerBase64 : false);
                        if (isMarker)
                        {
                            p.WriteTo(writer);
                        }
                        else
                        {
                            changed = true;
                            writer.WriteString(p.Name.Contains('_', StringComparison.Ordinal) ? "inline_string" : "inlineString", Marker);
                        }

                        continue;
                    }

                    writer.WritePropertyName(p.Name);
                    WriteRedacted(writer, p.Value, ref changed);
                }

                writer.WriteEndObject();
                break;
            case JsonValueKind.Array:
                writer.WriteStartArray();
                foreach (var item in value.EnumerateArray())
                {
                    WriteRedacted(writer, item, ref changed);
                }

                writer.WriteEndArray();
                break;
            default:
                value.WriteTo(writer);
                break;
        }
    }

    private static byte[]? RedactMetadata(JsonElement value, string pointer, List<string> found)
    {
        if (value.ValueKind != JsonValueKind.Array)
        {
            return null;
        }

        var changed = false;
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
        {
            writer.WriteStartArray();
            var index = 0;
            foreach (var entry in value.EnumerateArray())
            {
                var secret = entry.ValueKind == JsonValueKind.Object && entry.TryGetProperty("key", out var key) && key.ValueKind == JsonValueKind.String &&
                    SecretHeaders.Contains(key.GetString()!);
                if (!secret)
                {
                    entry.WriteTo(writer);
                    index++;
                    continue;
                }

                writer.WriteStartObject();
                foreach (var p in entry.EnumerateObject())
                {
                    if (p.Name is "value" or "raw_value" or "rawValue" && p.Value.ValueKind == JsonValueKind.String && p.Value.GetString() is not (Marker or MarkerBase64))
                    {
                        changed = true;
                        found.Add(pointer + "/" + index.ToString(CultureInfo.InvariantCulture) + "/" + p.Name);
                        writer.WriteString(p.Name, p.Name == "value" ? Marker : MarkerBase64);
                    }
                    else
                    {
                        p.WriteTo(writer);
                    }
                }

                writer.WriteEndObject();
                index++;
            }

            writer.WriteEndArray();
        }

        return changed ? buffer.ToArray() : null;
    }
}
