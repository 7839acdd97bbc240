using System.Globalization;
using System.Text.Json;
using EnvoyLens.Core;
using EnvoyLens.Model;

namespace EnvoyLens.Decoding.Endpoints;

/// <summary>
/// Reads <c>/server_info</c>: the JSON form (<c>envoy.admin.v3.ServerInfo</c>) and the plain-text form of
/// Envoy before 1.7 (<c>envoy &lt;version&gt; &lt;live|draining&gt; &lt;uptime s&gt; &lt;uptime all epochs s&gt; &lt;restart epoch&gt;</c>).
/// </summary>
public static class ServerInfoDocument
{
    private const string What = "Envoy /server_info output";
    private static readonly string[] States = ["LIVE", "DRAINING", "PRE_INITIALIZING", "INITIALIZING"];

    public static AdminDocument<ServerInfo> Read(byte[] content, string source)
    {
        var text = AdminJson.Text(content, source, What).Trim();
        if (text.Length == 0)
        {
            throw new EnvoyLensException($"{source} is empty, not {What}.");
        }

        return text[0] == '{' ? ReadJson(content, source) : ReadText(text, source);
    }

    private static AdminDocument<ServerInfo> ReadJson(byte[] content, string source)
    {
        using var doc = AdminJson.Parse(content, source, What);
        var root = AdminJson.RequireObject(doc, source, What);
        if (!AdminJson.TryGet(root, "version", out _) && !AdminJson.TryGet(root, "state", out _) && !AdminJson.TryGet(root, "node", out _))
        {
            throw new EnvoyLensException($"{source} is not {What}: it has none of \"version\", \"state\" or \"node\".");
        }

        var diagnostics = new List<DecodeDiagnostic>();
        string? state = null;
        if (AdminJson.TryGet(root, "state", out var s))
        {
            state = s.ValueKind switch
            {
                JsonValueKind.String => s.GetString(),
                JsonValueKind.Number when s.TryGetInt32(out var n) && n >= 0 && n < States.Length => States[n],
                _ => null,
            };
            if (state is null)
            {
                diagnostics.Add(AdminJson.BadEntry(source, JsonPointer.Root.Append("state"), $"state {s.GetRawText()} is not a server state; ignored"));
            }
        }

        NodeInfo? node = null;
        if (AdminJson.TryGet(root, "node", out var n2))
        {
            if (n2.ValueKind == JsonValueKind.Object)
            {
                node = AdminJson.Node(n2);
            }
            else if (n2.ValueKind != JsonValueKind.Null)
            {
                diagnostics.Add(AdminJson.BadEntry(source, JsonPointer.Root.Append("node"), $"node is a {AdminJson.Kind(n2)}, not an object; ignored"));
            }
        }

        var info = new ServerInfo(
            AdminJson.String(root, "version"),
            state,
            Uptime(root, "uptime_current_epoch", source, diagnostics),
            Uptime(root, "uptime_all_epochs", source, diagnostics),
            AdminJson.String(root, "hot_restart_version"),
            node,
            source);
        return new AdminDocument<ServerInfo>(info, diagnostics);
    }

    private static TimeSpan? Uptime(JsonElement root, string field, string source, List<DecodeDiagnostic> diagnostics)
    {
        var text = AdminJson.String(root, field);
        if (text is null)
        {
            return null;
        }

        var value = AdminJson.Duration(text);
        if (value is null)
        {
            diagnostics.Add(AdminJson.BadEntry(source, JsonPointer.Root.Append(field), $"{field} '{text}' is not a duration such as \"12s\"; ignored"));
        }

        return value;
    }

    private static AdminDocument<ServerInfo> ReadText(string text, string source)
    {
        var parts = text.Split([' ', '\t', '\n', '\r'], StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length < 3 || parts[0] != "envoy")
        {
            throw new EnvoyLensException($"{source} is not {What}: it is neither JSON nor the plain-text form 'envoy <version> <state> <uptime> ...'.");
        }

        TimeSpan? Seconds(int i) =>
            parts.Length > i && long.TryParse(parts[i], NumberStyles.Integer, CultureInfo.InvariantCulture, out var s) ? TimeSpan.FromSeconds(s) : null;

        var info = new ServerInfo(parts[1], parts[2].ToUpperInvariant(), Seconds(3), Seconds(4), null, null, source);
        return new AdminDocument<ServerInfo>(info, []);
    }
}
