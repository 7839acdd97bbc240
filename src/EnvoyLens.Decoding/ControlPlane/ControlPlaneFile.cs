using System.Globalization;
using System.Text.Json;
using EnvoyLens.Core;
using EnvoyLens.Model;

namespace EnvoyLens.Decoding.ControlPlane;

/// <summary>
/// Reads a bundle's <c>control_plane.json</c> (written by <c>snapshot --control-plane</c>, described in BUNDLE.md) into
/// <see cref="ControlPlaneView"/>. A file that cannot be read is an <see cref="EnvoyLensException"/> naming it.
/// </summary>
public static class ControlPlaneFile
{
    public static ControlPlaneView Read(RawFile payload)
    {
        ArgumentNullException.ThrowIfNull(payload);
        try
        {
            using var json = JsonDocument.Parse(payload.Content, new JsonDocumentOptions { MaxDepth = 256 });
            var root = Object(json.RootElement, "the document");
            var proxy = Object(Required(root, "proxy"), "proxy");
            var nodeId = String(root, "nodeId") ?? throw Invalid("nodeId is missing");
            var address = String(root, "controlPlane") ?? throw Invalid("controlPlane is missing");
            var types = new List<XdsTypeStatus>();
            var since = new SortedDictionary<XdsType, DateTimeOffset>();
            if (proxy.TryGetProperty("types", out var list) && list.ValueKind != JsonValueKind.Null)
            {
                if (list.ValueKind != JsonValueKind.Array)
                {
                    throw Invalid("proxy.types is not an array");
                }

                foreach (var item in list.EnumerateArray())
                {
                    var entry = Object(item, "proxy.types[]");
                    var typeText = String(entry, "type") ?? throw Invalid("proxy.types[].type is missing");
                    if (!Enum.TryParse<XdsType>(typeText, ignoreCase: true, out var type) || !Enum.IsDefined(type) || int.TryParse(typeText, NumberStyles.Integer, CultureInfo.InvariantCulture, out _))
                    {
                        throw Invalid($"proxy.types[].type '{typeText}' is not one of CDS, LDS, EDS, RDS, ECDS");
                    }

                    var errors = new List<XdsError>();
                    if (entry.TryGetProperty("errors", out var errs) && errs.ValueKind == JsonValueKind.Array)
                    {
                        foreach (var e in errs.EnumerateArray())
                        {
                            var error = Object(e, "proxy.types[].errors[]");
                            errors.Add(new XdsError(String(error, "resource") ?? string.Empty, String(error, "details") ?? string.Empty, String(error, "version")));
                        }
                    }

                    types.Add(new XdsTypeStatus(type, State(String(entry, "state")), String(entry, "version"), errors));
                    if (String(entry, "since") is { } s)
                    {
                        since[type] = DateTimeOffset.TryParse(s, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at)
                            ? at
                            : throw Invalid($"proxy.types[].since '{s}' is not a time");
                    }
                }
            }

            var status = new ProxySyncStatus(
                nodeId,
                String(proxy, "name") ?? nodeId,
                String(proxy, "namespace"),
                String(proxy, "cluster"),
                String(proxy, "controlPlane") ?? address,
                String(proxy, "version"),
                types);
            return new ControlPlaneView(payload.Source, address, nodeId, status, payload.CapturedAt, since);
        }
        catch (JsonException ex)
        {
            throw new EnvoyLensException($"{payload.Source} cannot be read: it is not valid JSON ({ex.Message.TrimEnd('.')}).", ex);
        }
        catch (InvalidDataException ex)
        {
            throw new EnvoyLensException($"{payload.Source} cannot be read: {ex.Message}.", ex);
        }
    }

    private static SyncState State(string? text) => text switch
    {
        "SYNCED" => SyncState.Synced,
        "NOT SENT" => SyncState.NotSent,
        "STALE" => SyncState.Stale,
        "ERROR" => SyncState.Error,
        _ => SyncState.Unknown,
    };

    private static JsonElement Object(JsonElement element, string what) =>
        element.ValueKind == JsonValueKind.Object ? element : throw Invalid($"{what} is not an object");

    private static JsonElement Required(JsonElement parent, string name) =>
        parent.TryGetProperty(name, out var value) ? value : throw Invalid($"{name} is missing");

    private static string? String(JsonElement parent, string name)
    {
        if (!parent.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        return value.ValueKind == JsonValueKind.String ? value.GetString() : throw Invalid($"{name} is not a string");
    }

    private static InvalidDataException Invalid(string message) => new(message);
}
