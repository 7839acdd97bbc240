using System.Runtime.CompilerServices;
using System.Text.Json;
using EnvoyLens.Core;
using EnvoyLens.Model;

namespace EnvoyLens.Reporting.Views;

/// <summary>
/// Values the proto JSON reader could not read (an enum name that does not exist, say): the reader skips them, so the
/// model holds the field's default, and keeps the raw JSON with its place. Views show such a value as it was written,
/// followed by <see cref="Marker"/>, instead of the default it was read as.
/// </summary>
internal static class InvalidValues
{
    public const string Marker = " (invalid)";

    private static readonly ConditionalWeakTable<EnvoySnapshot, Dictionary<string, string>> Cache = new();

    /// <summary>The cell text of a field at <paramref name="at"/>: the raw value and the marker when it was invalid, else <paramref name="read"/>.</summary>
    public static string? Show(EnvoySnapshot snapshot, JsonPointer at, string? read) =>
        Raw(snapshot, at) is { } raw ? raw + Marker : read;

    /// <summary>The text of the invalid value at <paramref name="at"/> (a JSON string unquoted), or null when it was read.</summary>
    public static string? Raw(EnvoySnapshot snapshot, JsonPointer at)
    {
        var index = Cache.GetValue(snapshot, Build);
        return index.Count == 0 ? null : index.GetValueOrDefault(Fold(at.Value));
    }

    private static Dictionary<string, string> Build(EnvoySnapshot snapshot)
    {
        var index = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var payload in snapshot.RawPayloads)
        {
            if (payload.Reason.StartsWith("invalid value", StringComparison.Ordinal))
            {
                index.TryAdd(Fold(payload.Pointer.Value), Text(payload.Json));
            }
        }

        return index;
    }

    private static string Text(string json)
    {
        try
        {
            using var doc = JsonDocument.Parse(json);
            return doc.RootElement.ValueKind == JsonValueKind.String ? doc.RootElement.GetString() ?? "" : doc.RootElement.GetRawText();
        }
        catch (JsonException)
        {
            return json;
        }
    }

    /// <summary>Field names folded (lower case, no underscores) so that snake_case and camelCase places compare equal.</summary>
    private static string Fold(string pointer) => pointer.Replace("_", string.Empty, StringComparison.Ordinal).ToLowerInvariant();
}
