using System.Globalization;
using System.Text;
using System.Text.Json;
using EnvoyLens.Core;
using EnvoyLens.Model;

namespace EnvoyLens.Decoding.Endpoints;

/// <summary>A small admin document read into the model, with what could not be read.</summary>
public sealed record AdminDocument<T>(T Value, IReadOnlyList<DecodeDiagnostic> Diagnostics);

/// <summary>Shared helpers for the small admin JSON documents: parsing with one-sentence errors, snake/camel field lookup.</summary>
internal static class AdminJson
{
    private static readonly JsonDocumentOptions Options = new() { AllowTrailingCommas = false, MaxDepth = 256 };

    /// <summary>Parses a whole (small) document; throws an <see cref="EnvoyLensException"/> naming the source when it is not JSON.</summary>
    public static JsonDocument Parse(byte[] content, string source, string what)
    {
        if (IsBlank(content))
        {
            throw new EnvoyLensException($"{source} is empty, not {what}.");
        }

        try
        {
            return JsonDocument.Parse(content.AsMemory(), Options);
        }
        catch (JsonException ex)
        {
            var line = ((ex.LineNumber ?? 0) + 1).ToString(CultureInfo.InvariantCulture);
            throw new EnvoyLensException($"{source} is not valid JSON (line {line}), so it cannot be read as {what}.", ex);
        }
    }

    public static JsonElement RequireObject(JsonDocument doc, string source, string what)
    {
        var root = doc.RootElement;
        if (root.ValueKind != JsonValueKind.Object)
        {
            throw new EnvoyLensException($"{source} is not {what}: it is a JSON {Kind(root)}, not an object.");
        }

        return root;
    }

    /// <summary>Reads an array field that must be an array when present; absent or null is empty.</summary>
    public static IEnumerable<(JsonElement Item, int Index)> Array(JsonElement obj, string snakeName, string source, JsonPointer pointer, string what)
    {
        if (!TryGet(obj, snakeName, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return [];
        }

        if (value.ValueKind != JsonValueKind.Array)
        {
            throw new EnvoyLensException($"{source} is not {what}: \"{snakeName}\" at {pointer} is a {Kind(value)}, not an array.");
        }

        return value.EnumerateArray().Select((item, index) => (item, index));
    }

    /// <summary>Finds a field by its proto JSON names: snake_case as Envoy prints it, or lowerCamelCase.</summary>
    public static bool TryGet(JsonElement obj, string snakeName, out JsonElement value)
    {
        value = default;
        if (obj.ValueKind != JsonValueKind.Object)
        {
            return false;
        }

        if (obj.TryGetProperty(snakeName, out value))
        {
            return true;
        }

        var camel = Camel(snakeName);
        return camel != snakeName && obj.TryGetProperty(camel, out value);
    }

    public static string? String(JsonElement obj, string snakeName) =>
        TryGet(obj, snakeName, out var v) ? v.ValueKind switch
        {
            JsonValueKind.String => v.GetString(),
            JsonValueKind.Number => v.GetRawText(),
            JsonValueKind.True => "true",
            JsonValueKind.False => "false",
            _ => null,
        } : null;

    /// <summary>A number that proto JSON may print as a number or as a string (64-bit integers).</summary>
    public static bool TryNumber(JsonElement obj, string snakeName, out double value, out bool present)
    {
        value = 0;
        present = TryGet(obj, snakeName, out var v) && v.ValueKind != JsonValueKind.Null;
        if (!present)
        {
            return false;
        }

        return v.ValueKind switch
        {
            JsonValueKind.Number => v.TryGetDouble(out value),
            JsonValueKind.String => double.TryParse(v.GetString(), NumberStyles.Float, CultureInfo.InvariantCulture, out value),
            _ => false,
        };
    }

    public static bool? Bool(JsonElement obj, string snakeName) =>
        TryGet(obj, snakeName, out var v) ? v.ValueKind switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            _ => null,
        } : null;

    /// <summary>A google.protobuf.Duration in JSON (<c>"123s"</c>, <c>"1.5s"</c>).</summary>
    public static TimeSpan? Duration(string? text)
    {
        if (string.IsNullOrEmpty(text) || !text.EndsWith('s'))
        {
            return null;
        }

        return decimal.TryParse(text.AsSpan(0, text.Length - 1), NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var seconds)
               && Math.Abs(seconds) < (decimal)TimeSpan.MaxValue.TotalSeconds
            ? TimeSpan.FromTicks((long)(seconds * TimeSpan.TicksPerSecond))
            : null;
    }

    /// <summary>A google.protobuf.Timestamp in JSON (RFC 3339).</summary>
    public static DateTimeOffset? Timestamp(string? text) =>
        !string.IsNullOrEmpty(text) && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var t)
            ? t
            : null;

    /// <summary>An envoy.config.core.v3.Address: socket address, pipe, or internal listener.</summary>
    public static SocketAddress? Address(JsonElement address)
    {
        if (TryGet(address, "socket_address", out var sa) && sa.ValueKind == JsonValueKind.Object)
        {
            int? port = TryNumber(sa, "port_value", out var p, out _) ? (int)p : null;
            var named = String(sa, "named_port");
            var host = String(sa, "address") ?? string.Empty;
            var protocol = String(sa, "protocol") ?? "TCP";
            return port is null && named is not null
                ? new SocketAddress(host + ":" + named, null, protocol)
                : new SocketAddress(host, port ?? 0, protocol);
        }

        if (TryGet(address, "pipe", out var pipe) && pipe.ValueKind == JsonValueKind.Object)
        {
            return new SocketAddress(String(pipe, "path") ?? string.Empty, null, "TCP", "pipe");
        }

        if (TryGet(address, "envoy_internal_address", out var internalAddress) && internalAddress.ValueKind == JsonValueKind.Object)
        {
            // The same text as the config dump's endpoints (NAME/ENDPOINT_ID), so that both views of one host meet.
            var name = String(internalAddress, "server_listener_name") ?? string.Empty;
            var endpointId = String(internalAddress, "endpoint_id");
            return new SocketAddress(string.IsNullOrEmpty(endpointId) ? name : name + "/" + endpointId, null, "TCP", "internal");
        }

        return null;
    }

    public static Locality? Locality(JsonElement obj)
    {
        if (!TryGet(obj, "locality", out var l) || l.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        var region = String(l, "region");
        var zone = String(l, "zone");
        var subZone = String(l, "sub_zone");
        return region is null && zone is null && subZone is null ? null : new Locality(region, zone, subZone);
    }

    /// <summary>An envoy.config.core.v3.Node; metadata values are cloned so they outlive the document.</summary>
    public static NodeInfo Node(JsonElement node)
    {
        string? agentVersion = String(node, "user_agent_version");
        if (agentVersion is null && TryGet(node, "user_agent_build_version", out var build) && TryGet(build, "version", out var v) && v.ValueKind == JsonValueKind.Object)
        {
            var parts = new[] { "major_number", "minor_number", "patch" }
                .Select(f => TryNumber(v, f, out var n, out _) ? ((long)n).ToString(CultureInfo.InvariantCulture) : "0");
            agentVersion = string.Join(".", parts);
        }

        var metadata = new SortedDictionary<string, JsonElement>(StringComparer.Ordinal);
        if (TryGet(node, "metadata", out var md) && md.ValueKind == JsonValueKind.Object)
        {
            foreach (var p in md.EnumerateObject())
            {
                metadata[p.Name] = p.Value.Clone();
            }
        }

        return new NodeInfo(String(node, "id"), String(node, "cluster"), String(node, "user_agent_name"), agentVersion, Locality(node), metadata);
    }

    public static string Kind(JsonElement e) => e.ValueKind switch
    {
        JsonValueKind.Object => "object",
        JsonValueKind.Array => "array",
        JsonValueKind.String => "string",
        JsonValueKind.Number => "number",
        JsonValueKind.True or JsonValueKind.False => "boolean",
        JsonValueKind.Null => "null",
        _ => "value",
    };

    public static bool IsBlank(ReadOnlySpan<byte> content)
    {
        if (content.StartsWith("\uFEFF"u8))
        {
            content = content[3..];
        }

        return content.IndexOfAnyExcept(" \t\r\n"u8) < 0;
    }

    /// <summary>The bytes as text; a one-sentence error when they are not UTF-8.</summary>
    public static string Text(byte[] content, string source, string what)
    {
        try
        {
            var text = new UTF8Encoding(false, true).GetString(content);
            return text.Length > 0 && text[0] == '\uFEFF' ? text[1..] : text;
        }
        catch (DecoderFallbackException ex)
        {
            throw new EnvoyLensException($"{source} is binary data, not {what}.", ex);
        }
    }

    public static DecodeDiagnostic BadEntry(string source, JsonPointer pointer, string message) =>
        new(DiagnosticLevel.Warning, DiagnosticCodes.InvalidResource, source, pointer, message);

    private static string Camel(string snake)
    {
        if (!snake.Contains('_', StringComparison.Ordinal))
        {
            return snake;
        }

        var sb = new StringBuilder(snake.Length);
        var upper = false;
        foreach (var c in snake)
        {
            if (c == '_')
            {
                upper = true;
                continue;
            }

            sb.Append(upper ? char.ToUpperInvariant(c) : c);
            upper = false;
        }

        return sb.ToString();
    }
}
