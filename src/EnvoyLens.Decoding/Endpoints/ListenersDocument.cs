using System.Text.Json;
using EnvoyLens.Core;
using EnvoyLens.Model;

namespace EnvoyLens.Decoding.Endpoints;

/// <summary>Reads <c>/listeners?format=json</c> (<c>envoy.admin.v3.Listeners</c>).</summary>
public static class ListenersDocument
{
    private const string What = "Envoy /listeners output";

    public static AdminDocument<IReadOnlyList<ListenerStatus>> Read(byte[] content, string source)
    {
        using var doc = AdminJson.Parse(content, source, What);
        var root = AdminJson.RequireObject(doc, source, What);
        if (!AdminJson.TryGet(root, "listener_statuses", out _) && root.EnumerateObject().Any())
        {
            throw new EnvoyLensException($"{source} is not {What}: the JSON object has no \"listener_statuses\".");
        }

        var diagnostics = new List<DecodeDiagnostic>();
        var listeners = new List<ListenerStatus>();
        var listPointer = JsonPointer.Root.Append("listener_statuses");
        foreach (var (item, index) in AdminJson.Array(root, "listener_statuses", source, listPointer, What))
        {
            var pointer = listPointer.Append(index);
            var name = AdminJson.String(item, "name");
            if (item.ValueKind != JsonValueKind.Object || name is null)
            {
                diagnostics.Add(AdminJson.BadEntry(source, pointer, "listener status is not an object with a \"name\"; skipped"));
                continue;
            }

            var local = AdminJson.TryGet(item, "local_address", out var la) ? AdminJson.Address(la) : null;
            var additional = new List<SocketAddress>();
            if (AdminJson.TryGet(item, "additional_local_addresses", out var adds) && adds.ValueKind == JsonValueKind.Array)
            {
                additional.AddRange(adds.EnumerateArray().Select(AdminJson.Address).OfType<SocketAddress>());
            }

            listeners.Add(new ListenerStatus(name, local, additional));
        }

        return new AdminDocument<IReadOnlyList<ListenerStatus>>(listeners, diagnostics);
    }
}
