using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using EnvoyLens.Core;

namespace EnvoyLens.Decoding.Documents;

/// <summary>
/// The earliest <c>envoy.admin.v2alpha</c> config dump sections (Envoy 1.7 era, 2018) used shapes that differ
/// from v3: bare resources in <c>static_clusters</c> / <c>static_listeners</c> / <c>static_route_configs</c>,
/// <c>dynamic_active_listeners</c> / <c>dynamic_warming_listeners</c> / <c>dynamic_draining_listeners</c> instead of
/// <c>dynamic_listeners</c> with states, and inner resources without <c>@type</c>. This rewrites such a section into
/// the v3 shape (adding v2 <c>@type</c>s, which the resolver maps to v3) so the ordinary reader can decode it.
/// Sections already in the v3 shape are returned as given.
/// </summary>
internal static class LegacyDumpShapes
{
    internal const string ListenerType = "type.googleapis.com/envoy.api.v2.Listener";
    internal const string ClusterType = "type.googleapis.com/envoy.api.v2.Cluster";
    internal const string RouteConfigurationType = "type.googleapis.com/envoy.api.v2.RouteConfiguration";

    private const string AdminV2Alpha = "envoy.admin.v2alpha.";
    private const string TypeKey = "@type";

    private static readonly string[] ListenerStates = ["active", "warming", "draining"];

    private static readonly JsonNodeOptions NodeOptions = new() { PropertyNameCaseInsensitive = false };
    private static readonly JsonDocumentOptions DocumentOptions = new() { MaxDepth = 1024 };
    private static readonly JsonWriterOptions WriterOptions = new() { MaxDepth = 1024, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>
    /// Returns <paramref name="json"/> itself when <paramref name="entry"/> is not an early-shape v2alpha section;
    /// otherwise the rewritten JSON, with <paramref name="note"/> set to an Info diagnostic saying so.
    /// </summary>
    public static ReadOnlyMemory<byte> Rewrite(ReadOnlyMemory<byte> json, ConfigEntry entry, string source, out DecodeDiagnostic? note)
    {
        var notes = new List<DecodeDiagnostic>();
        var result = Rewrite(json, entry, source, notes, convertConfigs: false);
        note = notes.SingleOrDefault();
        return result;
    }

    /// <summary>
    /// What the decoder reads for <paramref name="entry"/>: its early v2alpha shape rewritten to v3 (see
    /// <see cref="Rewrite(ReadOnlyMemory{byte}, ConfigEntry, string, out DecodeDiagnostic?)"/>) and its v2-era
    /// configuration converted (see <see cref="LegacyConfigs"/>), each said in <paramref name="notes"/>;
    /// <paramref name="json"/> itself when neither applies.
    /// </summary>
    public static ReadOnlyMemory<byte> Prepare(ReadOnlyMemory<byte> json, ConfigEntry entry, string source, ICollection<DecodeDiagnostic> notes) =>
        Rewrite(json, entry, source, notes, convertConfigs: true);

    private static ReadOnlyMemory<byte> Rewrite(ReadOnlyMemory<byte> json, ConfigEntry entry, string source, ICollection<DecodeDiagnostic> notes, bool convertConfigs)
    {
        ArgumentNullException.ThrowIfNull(entry);
        var kind = KindOf(entry.TypeUrl);
        var configs = convertConfigs && HoldsConfiguration(entry.TypeUrl) && LegacyConfigs.MayApply(json, json.Length == entry.Length ? entry.Outline : null);
        if (kind is null && !configs)
        {
            return json;
        }

        JsonObject? section;
        try
        {
            section = JsonNode.Parse(json.Span, NodeOptions, DocumentOptions) as JsonObject;
        }
        catch (Exception e) when (e is JsonException or ArgumentException or InvalidOperationException)
        {
            // Malformed or duplicate-keyed: the reader reports it on the original bytes.
            return json;
        }

        if (section is null)
        {
            return json;
        }

        var changes = new List<string>();
        var rewritten = kind switch
        {
            "ListenersConfigDump" => RewriteListeners(section, changes),
            "ClustersConfigDump" => RewriteClusters(section, changes),
            "RoutesConfigDump" => RewriteRoutes(section, changes),
            _ => null,
        };
        if (rewritten is not null)
        {
            notes.Add(new DecodeDiagnostic(
                DiagnosticLevel.Info,
                DiagnosticCodes.Interpretation,
                source,
                entry.Pointer,
                $"{source} at {entry.Pointer} is an early {AdminV2Alpha}{kind} ({string.Join("; ", changes)}); it was rewritten to the v3 shape before decoding, and pointers inside this section refer to the rewritten form.",
                entry.TypeUrl));
        }

        var converted = configs && LegacyConfigs.Apply(rewritten ?? section, source, entry.Pointer, rewritten is not null, notes);
        return rewritten is null && !converted ? json : Serialize(rewritten ?? section);
    }

    /// <summary>The config dump sections that hold listeners, clusters or bootstrap extensions (any admin version).</summary>
    private static bool HoldsConfiguration(string? typeUrl)
    {
        if (typeUrl is null)
        {
            return false;
        }

        var name = typeUrl[(typeUrl.LastIndexOf('/') + 1)..];
        return name.StartsWith("envoy.admin.", StringComparison.Ordinal) &&
               (name.EndsWith(".ListenersConfigDump", StringComparison.Ordinal) || name.EndsWith(".ClustersConfigDump", StringComparison.Ordinal) ||
                name.EndsWith(".BootstrapConfigDump", StringComparison.Ordinal));
    }

    private static string? KindOf(string? typeUrl)
    {
        if (typeUrl is null)
        {
            return null;
        }

        var name = typeUrl[(typeUrl.LastIndexOf('/') + 1)..];
        return name.StartsWith(AdminV2Alpha, StringComparison.Ordinal) && name.EndsWith("ConfigDump", StringComparison.Ordinal)
            ? name[AdminV2Alpha.Length..]
            : null;
    }

    private static JsonObject? RewriteListeners(JsonObject section, List<string> changes)
    {
        var camel = UsesCamel(section, "static_listeners", "dynamic_active_listeners", "dynamic_warming_listeners", "dynamic_draining_listeners");
        var stateKeys = ListenerStates.Select(s => $"dynamic_{s}_listeners").ToArray();
        var hasStateLists = stateKeys.Any(k => Find(section, k) is not null);
        var staticNeeds = NeedsStaticRewrite(section, "static_listeners", "listener");
        if (!hasStateLists && !staticNeeds)
        {
            return null;
        }

        var dynamic = new JsonArray();
        if (hasStateLists)
        {
            foreach (var (stateKey, state) in stateKeys.Zip(ListenerStates))
            {
                var count = 0;
                foreach (var item in Items(section, stateKey))
                {
                    count++;
                    AddListenerState(dynamic, state, item, camel);
                }

                if (Find(section, stateKey) is { } found)
                {
                    changes.Add($"{Count(count, "entry", "entries")} of {found.Key} moved to {Key("dynamic_listeners", camel)}[].{Key(state + "_state", camel)}");
                }
            }
        }

        var result = new JsonObject();
        var dynamicWritten = false;
        foreach (var (key, value) in section)
        {
            var snake = Snake(key);
            if (snake == "static_listeners" && staticNeeds)
            {
                result[key] = WrapStatic(value, "listener", ListenerType, camel, changes, key);
            }
            else if (stateKeys.Contains(snake) || snake == "dynamic_listeners")
            {
                if (!dynamicWritten)
                {
                    // A section holding both forms keeps its v3 entries first.
                    var existing = Find(section, "dynamic_listeners")?.Value as JsonArray;
                    var merged = new JsonArray();
                    foreach (var e in existing ?? new JsonArray())
                    {
                        merged.Add(e?.DeepClone());
                    }

                    foreach (var e in dynamic)
                    {
                        merged.Add(e?.DeepClone());
                    }

                    result[Key("dynamic_listeners", camel)] = merged;
                    dynamicWritten = true;
                }
            }
            else
            {
                result[key] = value?.DeepClone();
            }
        }

        return result;
    }

    private static void AddListenerState(JsonArray dynamic, string state, JsonNode? item, bool camel)
    {
        if (item is not JsonObject wrapper)
        {
            return;
        }

        var stateObject = new JsonObject();
        string? name = null;
        foreach (var (key, value) in wrapper)
        {
            if (Snake(key) == "listener" && value is JsonObject listener)
            {
                name = listener.TryGetPropertyValue("name", out var n) && n is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;
                stateObject[key] = Typed(listener, ListenerType);
            }
            else
            {
                stateObject[key] = value?.DeepClone();
            }
        }

        var stateKey = Key(state + "_state", camel);
        var target = dynamic.OfType<JsonObject>().FirstOrDefault(d =>
            !d.ContainsKey(stateKey) && d.TryGetPropertyValue("name", out var n) && n is JsonValue v && v.TryGetValue<string>(out var s) && s == name);
        if (target is null || name is null)
        {
            target = new JsonObject();
            if (name is not null)
            {
                target["name"] = name;
            }

            dynamic.Add((JsonNode)target);
        }

        target[stateKey] = stateObject;
    }

    private static JsonObject? RewriteClusters(JsonObject section, List<string> changes)
    {
        var camel = UsesCamel(section, "static_clusters", "dynamic_active_clusters", "dynamic_warming_clusters");
        var staticNeeds = NeedsStaticRewrite(section, "static_clusters", "cluster");
        var dynamicNeeds = NeedsInnerType(section, "dynamic_active_clusters", "cluster") || NeedsInnerType(section, "dynamic_warming_clusters", "cluster");
        if (!staticNeeds && !dynamicNeeds)
        {
            return null;
        }

        var result = new JsonObject();
        foreach (var (key, value) in section)
        {
            result[key] = Snake(key) switch
            {
                "static_clusters" when staticNeeds => WrapStatic(value, "cluster", ClusterType, camel, changes, key),
                "dynamic_active_clusters" or "dynamic_warming_clusters" => AddInnerTypes(value, "cluster", ClusterType, changes, key),
                _ => value?.DeepClone(),
            };
        }

        return result;
    }

    private static JsonObject? RewriteRoutes(JsonObject section, List<string> changes)
    {
        var camel = UsesCamel(section, "static_route_configs", "dynamic_route_configs");
        var staticNeeds = NeedsStaticRewrite(section, "static_route_configs", "route_config");
        var dynamicNeeds = NeedsInnerType(section, "dynamic_route_configs", "route_config");
        if (!staticNeeds && !dynamicNeeds)
        {
            return null;
        }

        var result = new JsonObject();
        foreach (var (key, value) in section)
        {
            result[key] = Snake(key) switch
            {
                "static_route_configs" when staticNeeds => WrapStatic(value, "route_config", RouteConfigurationType, camel, changes, key),
                "dynamic_route_configs" => AddInnerTypes(value, "route_config", RouteConfigurationType, changes, key),
                _ => value?.DeepClone(),
            };
        }

        return result;
    }

    /// <summary>True when a static list holds a bare resource or a wrapper whose resource has no <c>@type</c>.</summary>
    private static bool NeedsStaticRewrite(JsonObject section, string listKey, string innerKey) =>
        Items(section, listKey).OfType<JsonObject>().Any(e => IsBare(e, innerKey) || InnerWithoutType(e, innerKey));

    private static bool NeedsInnerType(JsonObject section, string listKey, string innerKey) =>
        Items(section, listKey).OfType<JsonObject>().Any(e => InnerWithoutType(e, innerKey));

    /// <summary>A resource itself rather than a v3 wrapper: no inner key and something besides the timestamp.</summary>
    private static bool IsBare(JsonObject element, string innerKey) =>
        Find(element, innerKey) is null && element.Any(p => Snake(p.Key) != "last_updated");

    private static bool InnerWithoutType(JsonObject element, string innerKey) =>
        Find(element, innerKey) is { Value: JsonObject inner } && !inner.ContainsKey(TypeKey);

    private static JsonNode? WrapStatic(JsonNode? list, string innerKey, string typeUrl, bool camel, List<string> changes, string listKey)
    {
        if (list is not JsonArray array)
        {
            return list?.DeepClone();
        }

        var (wrapped, typed) = (0, 0);
        var result = new JsonArray();
        foreach (var element in array)
        {
            if (element is JsonObject obj && IsBare(obj, innerKey))
            {
                wrapped++;
                result.Add((JsonNode)new JsonObject { [Key(innerKey, camel)] = Typed(obj, typeUrl) });
            }
            else
            {
                typed += element is JsonObject wrapper && InnerWithoutType(wrapper, innerKey) ? 1 : 0;
                result.Add(AddInnerType(element, innerKey, typeUrl));
            }
        }

        if (wrapped > 0)
        {
            changes.Add($"{Count(wrapped, "bare resource", "bare resources")} in {listKey} wrapped as {Key(innerKey, camel)} with @type {typeUrl}");
        }

        if (typed > 0)
        {
            changes.Add($"{Count(typed, "resource", "resources")} without @type in {listKey} given @type {typeUrl}");
        }

        return result;
    }

    private static JsonNode? AddInnerTypes(JsonNode? list, string innerKey, string typeUrl, List<string> changes, string listKey)
    {
        if (list is not JsonArray array)
        {
            return list?.DeepClone();
        }

        var typed = array.OfType<JsonObject>().Count(e => InnerWithoutType(e, innerKey));
        if (typed > 0)
        {
            changes.Add($"{Count(typed, "resource", "resources")} without @type in {listKey} given @type {typeUrl}");
        }

        var result = new JsonArray();
        foreach (var element in array)
        {
            result.Add(AddInnerType(element, innerKey, typeUrl));
        }

        return result;
    }

    private static JsonNode? AddInnerType(JsonNode? element, string innerKey, string typeUrl)
    {
        if (element is not JsonObject obj || !InnerWithoutType(obj, innerKey))
        {
            return element?.DeepClone();
        }

        var result = new JsonObject();
        foreach (var (key, value) in obj)
        {
            result[key] = Snake(key) == innerKey && value is JsonObject inner ? Typed(inner, typeUrl) : value?.DeepClone();
        }

        return result;
    }

    /// <summary>A copy of <paramref name="resource"/> with <c>@type</c> first (kept when it already has one).</summary>
    private static JsonObject Typed(JsonObject resource, string typeUrl)
    {
        if (resource.ContainsKey(TypeKey))
        {
            return (JsonObject)resource.DeepClone();
        }

        var result = new JsonObject { [TypeKey] = typeUrl };
        foreach (var (key, value) in resource)
        {
            result[key] = value?.DeepClone();
        }

        return result;
    }

    private static IEnumerable<JsonNode?> Items(JsonObject section, string snakeKey) =>
        Find(section, snakeKey)?.Value as JsonArray ?? [];

    private static KeyValuePair<string, JsonNode?>? Find(JsonObject obj, string snakeKey)
    {
        foreach (var candidate in (string[])[snakeKey, Camel(snakeKey)])
        {
            if (obj.TryGetPropertyValue(candidate, out var value))
            {
                return new KeyValuePair<string, JsonNode?>(candidate, value);
            }
        }

        return null;
    }

    /// <summary>Whether the section spells its (multi-word) legacy keys in camelCase, so added keys match.</summary>
    private static bool UsesCamel(JsonObject section, params string[] snakeKeys) =>
        snakeKeys.Any(k => section.ContainsKey(Camel(k))) && !snakeKeys.Any(section.ContainsKey);

    private static string Count(int n, string one, string many) =>
        n.ToString(System.Globalization.CultureInfo.InvariantCulture) + " " + (n == 1 ? one : many);

    private static string Key(string snake, bool camel) => camel ? Camel(snake) : snake;

    private static string Camel(string snake) =>
        string.Concat(snake.Split('_').Select((part, i) => i == 0 || part.Length == 0 ? part : char.ToUpperInvariant(part[0]) + part[1..]));

    private static string Snake(string key) =>
        string.Concat(key.Select(c => char.IsAsciiLetterUpper(c) ? "_" + char.ToLowerInvariant(c) : c.ToString()));

    private static byte[] Serialize(JsonObject section)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream, WriterOptions))
        {
            section.WriteTo(writer);
        }

        return stream.ToArray();
    }
}
