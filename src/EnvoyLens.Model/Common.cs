using System.Text.Json;
using EnvoyLens.Core;

namespace EnvoyLens.Model;

/// <summary>A socket address (<c>0.0.0.0:15006</c>), a pipe, or an internal listener name.</summary>
public sealed record SocketAddress(string Address, int? Port, string Protocol = "TCP", string Kind = "socket")
{
    public override string ToString() => Port is { } p ? $"{Address}:{p}" : Address;
}

/// <summary>
/// An extension's typed config as found in the dump: its name, type URL, whether EnvoyLens could type it,
/// and where it sits. Unknown types stay available as raw JSON.
/// </summary>
public sealed record TypedExtension(string Name, string? TypeUrl, bool Typed, JsonPointer Pointer)
{
    /// <summary>The fully qualified message name (type URL without its prefix), or null.</summary>
    public string? TypeName => TypeUrl is null ? null : TypeUrl[(TypeUrl.LastIndexOf('/') + 1)..];
}

/// <summary>Envoy metadata: filter name → JSON object (as in <c>metadata.filter_metadata</c>).</summary>
public sealed record MetadataMap(IReadOnlyDictionary<string, JsonElement> FilterMetadata)
{
    public static MetadataMap Empty { get; } = new(new Dictionary<string, JsonElement>());

    /// <summary>A string field of one filter's metadata (<c>Get("istio", "config")</c>), or null.</summary>
    public string? GetString(string filter, string field) =>
        FilterMetadata.TryGetValue(filter, out var obj) && obj.ValueKind == JsonValueKind.Object &&
        obj.TryGetProperty(field, out var v) && v.ValueKind == JsonValueKind.String
            ? v.GetString()
            : null;
}

/// <summary>A string matcher (Envoy <c>type.matcher.v3.StringMatcher</c>), e.g. a SAN matcher.</summary>
/// <param name="Kind">exact, prefix, suffix, contains, safe_regex.</param>
public sealed record StringMatch(string Kind, string Value, bool IgnoreCase = false, string? SanType = null)
{
    public override string ToString() => $"{Kind}:{Value}";
}
