using System.Text.Json.Nodes;

namespace EnvoyLens.Diff;

/// <summary>
/// How the elements of a repeated field are told apart: filter chains by name or match, filters and virtual hosts by
/// name, routes by name or match, endpoints by address, locality groups by locality and priority; any other list of
/// objects that all carry a distinct <c>name</c> by name. Lists without an identity compare as multisets.
/// </summary>
internal static class Identity
{
    /// <summary>The key of every element, or null when the list has no identity (missing or duplicate keys).</summary>
    public static string[]? Keys(string field, JsonArray items)
    {
        var keys = new string[items.Count];
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < items.Count; i++)
        {
            if (items[i] is not JsonObject o)
            {
                return null;
            }

            var key = KeyOf(field, o);
            if (key is null || !seen.Add(key))
            {
                return null;
            }

            keys[i] = key;
        }

        return keys;
    }

    private static string? KeyOf(string field, JsonObject o)
    {
        var name = Text(o["name"]);
        switch (field)
        {
            case "filter_chains":
                return name ?? "match:" + Compact(o["filter_chain_match"] ?? new JsonObject());
            case "routes":
                return name ?? Compact(o["match"] ?? new JsonObject());
            case "lb_endpoints":
                return Address(o["endpoint"]?["address"]) ?? Compact(o["endpoint"]);
            case "endpoints" when o.ContainsKey("lb_endpoints") || o.ContainsKey("locality") || o.ContainsKey("priority"):
                var locality = o["locality"] is JsonObject l ? string.Join('/', new[] { "region", "zone", "sub_zone" }.Select(k => Text(l[k]) ?? string.Empty)) : string.Empty;
                var priority = o["priority"]?.ToJsonString() ?? "0";
                return locality.Trim('/').Length == 0 && priority == "0" ? "default" : $"{locality.Trim('/')}@p{priority}";
            default:
                return name;
        }
    }

    /// <summary><c>10.0.0.1:80</c> for a socket address, the path for a pipe, or null.</summary>
    public static string? Address(JsonNode? address)
    {
        if (address?["socket_address"] is JsonObject s)
        {
            var host = Text(s["address"]) ?? string.Empty;
            var port = s["port_value"]?.ToJsonString() ?? Text(s["named_port"]) ?? "0";
            return host + ":" + port;
        }

        return Text(address?["pipe"]?["path"]) ?? Text(address?["envoy_internal_address"]?["server_listener_name"]);
    }

    public static string? Text(JsonNode? node) =>
        node is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;

    public static string Compact(JsonNode? node) => node?.ToJsonString() ?? "null";
}
