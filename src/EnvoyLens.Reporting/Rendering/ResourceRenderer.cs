using System.Text.Json;
using System.Text.Json.Nodes;
using EnvoyLens.Core;
using EnvoyLens.Model;
using EnvoyLens.Reporting.Diff;
using EnvoyLens.Reporting.Tables;

namespace EnvoyLens.Reporting.Rendering;

/// <summary>
/// <c>-o json|yaml</c> of config views, like istioctl's: the full configuration of the resources the rows came from
/// (each once, in row order), as their canonical trees (Envoy's proto field names, defaults omitted, <c>Any</c>
/// unpacked), the same normalized form <c>diff --full</c> prints. One view is an array (<c>bootstrap</c>: one object,
/// null when the capture has none); several views are one object keyed by view name. YAML is
/// <see cref="NormalizedYaml"/>'s.
/// </summary>
public static class ResourceRenderer
{
    public static void Write(IReadOnlyList<Table> tables, CanonicalSnapshot canonical, OutputFormat format, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(tables);
        ArgumentNullException.ThrowIfNull(canonical);
        ArgumentNullException.ThrowIfNull(output);
        var index = new Index(canonical);
        JsonNode? node;
        if (tables.Count == 1)
        {
            node = Resources(tables[0], index);
        }
        else
        {
            var all = new JsonObject();
            foreach (var table in tables)
            {
                all[table.Name] = Resources(table, index);
            }

            node = all;
        }

        switch (format)
        {
            case OutputFormat.Json:
                output.Write(Json(node));
                break;
            case OutputFormat.Yaml:
                output.Write(NormalizedYaml.Render(node) ?? "null\n");
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(format), format, "Resources are written as JSON or YAML.");
        }
    }

    /// <summary>The canonical trees of the resources of <paramref name="table"/>'s rows, each once, in row order.</summary>
    public static IReadOnlyList<JsonObject> Trees(Table table, CanonicalSnapshot canonical)
    {
        ArgumentNullException.ThrowIfNull(table);
        return Find(table, new Index(canonical)).Select(r => r.Load()).ToList();
    }

    private static JsonNode? Resources(Table table, Index index)
    {
        var found = Find(table, index);
        if (table.Layout == TableLayout.KeyValue)
        {
            return found.Count == 0 ? null : found[0].Load();
        }

        var array = new JsonArray();
        foreach (var resource in found)
        {
            array.Add((JsonNode)resource.Load());
        }

        return array;
    }

    private static List<CanonicalResource> Find(Table table, Index index)
    {
        var seen = new HashSet<CanonicalResource>(ReferenceEqualityComparer.Instance);
        var result = new List<CanonicalResource>();
        foreach (var source in table.Sources)
        {
            if (source is not null && index.Find(source) is { } resource && seen.Add(resource))
            {
                result.Add(resource);
            }
        }

        return result;
    }

    private static string Json(JsonNode? node) => JsonOutput.Write(writer =>
    {
        if (node is null)
        {
            writer.WriteNullValue();
        }
        else
        {
            node.WriteTo(writer);
        }
    });

    /// <summary>Canonical resources by kind and place (field names folded, so snake_case and camelCase places agree), and by kind and name.</summary>
    private sealed class Index
    {
        private readonly Dictionary<(ResourceKind, string), CanonicalResource> _byPointer = [];
        private readonly Dictionary<(ResourceKind, string), CanonicalResource> _byName = [];

        public Index(CanonicalSnapshot canonical)
        {
            foreach (var resource in canonical.Resources)
            {
                _byPointer.TryAdd((resource.Kind, Fold(resource.Pointer)), resource);
                _byName.TryAdd((resource.Kind, resource.Name), resource);
            }
        }

        public CanonicalResource? Find(RowSource source) =>
            (source.Pointer is { } p && _byPointer.TryGetValue((source.Kind, Fold(p)), out var at) ? at : null)
            ?? _byName.GetValueOrDefault((source.Kind, source.Name));

        private static string Fold(JsonPointer pointer) =>
            pointer.Value.Replace("_", string.Empty, StringComparison.Ordinal).ToLowerInvariant();
    }
}
