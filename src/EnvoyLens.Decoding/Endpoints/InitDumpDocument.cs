using System.Text.Json;
using EnvoyLens.Core;
using EnvoyLens.Model;

namespace EnvoyLens.Decoding.Endpoints;

/// <summary>Reads <c>/init_dump</c> (<c>envoy.admin.v3.UnreadyTargetsDumps</c>): init managers and their unready targets.</summary>
public static class InitDumpDocument
{
    private const string What = "Envoy /init_dump output";

    public static AdminDocument<IReadOnlyList<InitTarget>> Read(byte[] content, string source)
    {
        using var doc = AdminJson.Parse(content, source, What);
        var root = AdminJson.RequireObject(doc, source, What);
        if (!AdminJson.TryGet(root, "unready_targets_dumps", out _) && root.EnumerateObject().Any())
        {
            throw new EnvoyLensException($"{source} is not {What}: the JSON object has no \"unready_targets_dumps\".");
        }

        var diagnostics = new List<DecodeDiagnostic>();
        var targets = new List<InitTarget>();
        var listPointer = JsonPointer.Root.Append("unready_targets_dumps");
        foreach (var (item, index) in AdminJson.Array(root, "unready_targets_dumps", source, listPointer, What))
        {
            if (item.ValueKind != JsonValueKind.Object)
            {
                diagnostics.Add(AdminJson.BadEntry(source, listPointer.Append(index), $"unready targets entry is a {AdminJson.Kind(item)}, not an object; skipped"));
                continue;
            }

            var names = AdminJson.TryGet(item, "target_names", out var tn) && tn.ValueKind == JsonValueKind.Array
                ? tn.EnumerateArray().Where(t => t.ValueKind == JsonValueKind.String).Select(t => t.GetString()!).ToList()
                : [];
            targets.Add(new InitTarget(AdminJson.String(item, "name") ?? string.Empty, names));
        }

        return new AdminDocument<IReadOnlyList<InitTarget>>(targets, diagnostics);
    }
}
