using System.Globalization;
using System.Text;
using System.Text.Json;
using EnvoyLens.Core;

namespace EnvoyLens.Decoding.Documents;

/// <summary>
/// Finds the config entries of a config-dump-like input (plain, 2018 map form, YAML, egctl wrappers) with a
/// forward-only <see cref="Utf8JsonReader"/> pass: no DOM of the whole document is built, each entry is
/// recorded as a byte range into the JSON buffer.
/// </summary>
public static class ConfigDumpDocument
{
    /// <summary>How deep below the root a wrapped config dump is looked for (<c>{"ns": {"pod": dump}}</c> is 2).</summary>
    private const int MaxWrapperDepth = 2;

    /// <summary>
    /// Reads the layout of <paramref name="content"/>. Job-stopping problems (empty, not JSON/YAML, truncated,
    /// not a config dump, unknown proxy) throw an <see cref="EnvoyLensException"/> naming <paramref name="source"/>.
    /// </summary>
    /// <param name="proxy">For wrapped dumps: <c>ns/pod</c>, <c>pod.ns</c>, <c>pod</c> or the wrapper key; null picks the first.</param>
    public static ConfigDumpLayout Read(byte[] content, string source, string? proxy = null)
    {
        ArgumentNullException.ThrowIfNull(content);
        var diagnostics = new List<DecodeDiagnostic>();
        var forms = new List<string>();
        var json = ToJson(content, source, diagnostics, forms);

        var candidates = Scan(json, source, out var topLevelKeys);
        if (candidates.Count == 0)
        {
            var keys = topLevelKeys.Count == 0
                ? "no keys at all"
                : "top-level keys " + string.Join(", ", topLevelKeys.Take(10).Select(k => "\"" + k + "\"")) + (topLevelKeys.Count > 10 ? ", ..." : string.Empty);
            throw new EnvoyLensException($"{source} is not a config dump: it has no \"configs\" (it has {keys}).");
        }

        Candidate chosen;
        string? selected = null;
        IReadOnlyList<string> available = [];
        if (candidates.Count == 1 && candidates[0].Path.Count == 0)
        {
            chosen = candidates[0];
        }
        else
        {
            available = candidates.Select(c => c.Name).ToList();
            chosen = Select(candidates, proxy, source);
            selected = chosen.Name;
            forms.Add(chosen.WrapperForm);
            if (proxy is null)
            {
                var others = candidates.Where(c => !ReferenceEquals(c, chosen)).Select(c => c.Name).ToList();
                var message = others.Count == 0
                    ? $"read proxy '{chosen.Name}', the only one the document holds"
                    : $"read proxy '{chosen.Name}', the first of {candidates.Count.ToString(CultureInfo.InvariantCulture)}; the document also holds {string.Join(", ", others)} (name one to read it instead)";
                diagnostics.Add(new DecodeDiagnostic(DiagnosticLevel.Info, DiagnosticCodes.Interpretation, source, chosen.Pointer, message));
            }
        }

        forms.Add(chosen.Section is not null ? ConfigDumpForms.Section : chosen.IsMap ? ConfigDumpForms.ConfigsMap : ConfigDumpForms.ConfigsArray);
        diagnostics.AddRange(chosen.Diagnostics);
        var entries = (IReadOnlyList<ConfigEntry>)chosen.Entries;
        if (chosen.Section is { Inferred: true } inferred)
        {
            (json, entries) = WithType(json, chosen.Entries[0]);
            diagnostics.Add(new DecodeDiagnostic(
                DiagnosticLevel.Info,
                DiagnosticCodes.Interpretation,
                source,
                chosen.Pointer,
                $"the object at {(chosen.Pointer.IsRoot ? "the top level" : chosen.Pointer.Value)} has no \"@type\"; it is read as a {TypeName(inferred.TypeUrl)} because it holds \"{inferred.Key}\"",
                inferred.TypeUrl));
        }

        return new ConfigDumpLayout(source, string.Join("+", forms), json, entries, diagnostics, selected, available);
    }

    private static byte[] ToJson(byte[] content, string source, List<DecodeDiagnostic> diagnostics, List<string> forms)
    {
        var span = content.AsSpan();
        var bom = span.StartsWith("\uFEFF"u8) ? 3 : 0;
        var first = bom;
        while (first < span.Length && span[first] is (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n')
        {
            first++;
        }

        if (first == span.Length)
        {
            throw new EnvoyLensException($"{source} is empty.");
        }

        if (span[first] is (byte)'{' or (byte)'[')
        {
            return bom == 0 ? content : span[bom..].ToArray();
        }

        if (span.Length >= 2 && span[0] == 0x1f && span[1] == 0x8b)
        {
            throw new EnvoyLensException($"{source} is gzip-compressed, not JSON or YAML: decompress it first, or open a .tar.gz bundle by its .tar.gz name.");
        }

        if (span.Length > YamlJson.MaxYamlBytes)
        {
            throw new EnvoyLensException(
                $"{source} is not JSON and, at {span.Length.ToString("N0", CultureInfo.InvariantCulture)} bytes, is over the 256 MiB EnvoyLens reads of YAML or text.");
        }

        string text;
        try
        {
            text = YamlJson.StrictUtf8.GetString(span[bom..]);
        }
        catch (DecoderFallbackException)
        {
            throw new EnvoyLensException($"{source} is neither JSON nor YAML: it is binary data, not UTF-8 text.");
        }

        if (text.Contains('\0', StringComparison.Ordinal))
        {
            throw new EnvoyLensException($"{source} is neither JSON nor YAML: it is binary data (it holds NUL bytes).");
        }

        forms.Add(ConfigDumpForms.Yaml);
        return YamlJson.Convert(text, source, diagnostics);
    }

    /// <summary>A copy of <paramref name="json"/> whose <paramref name="entry"/> object starts with its inferred <c>@type</c>.</summary>
    private static (byte[] Json, IReadOnlyList<ConfigEntry> Entries) WithType(byte[] json, ConfigEntry entry)
    {
        // The type URL is one of SectionKeys' (plain ASCII), so it needs no escaping.
        var insert = Encoding.UTF8.GetBytes("\"@type\":\"" + entry.TypeUrl + "\",");
        var result = new byte[json.Length + insert.Length];
        json.AsSpan(0, entry.Offset + 1).CopyTo(result);
        insert.CopyTo(result.AsSpan(entry.Offset + 1));
        json.AsSpan(entry.Offset + 1).CopyTo(result.AsSpan(entry.Offset + 1 + insert.Length));
        return (result, [entry with { Length = entry.Length + insert.Length, Outline = null }]);
    }

    private static string TypeName(string typeUrl) => typeUrl[(typeUrl.LastIndexOf('/') + 1)..];

    /// <summary>
    /// The config dump section an object is, from its <c>@type</c> (<c>envoy.admin.v3.ListenersConfigDump</c>, also v2alpha),
    /// or when it has none from a key only that section has (<c>dynamic_listeners</c>); null for anything else.
    /// </summary>
    private static SectionKind? SectionOf(string? typeUrl, List<string> keys)
    {
        if (typeUrl is not null)
        {
            var name = TypeName(typeUrl);
            var isSection = (name.StartsWith("envoy.admin.v3.", StringComparison.Ordinal) || name.StartsWith("envoy.admin.v2alpha.", StringComparison.Ordinal)) &&
                            name.EndsWith("ConfigDump", StringComparison.Ordinal) && name[(name.LastIndexOf('.') + 1)..] != "ConfigDump";
            return isSection ? new SectionKind(typeUrl, false, "@type") : null;
        }

        foreach (var key in keys)
        {
            if (SectionKeys.TryGetValue(key, out var section))
            {
                return new SectionKind(AdminTypePrefix + section, true, key);
            }
        }

        return null;
    }

    private const string AdminTypePrefix = "type.googleapis.com/envoy.admin.";

    /// <summary>Keys that only one config dump section has (snake_case and camelCase), for sections without <c>@type</c>.</summary>
    private static readonly Dictionary<string, string> SectionKeys = BuildSectionKeys();

    private static Dictionary<string, string> BuildSectionKeys()
    {
        var keys = new Dictionary<string, string>(StringComparer.Ordinal);
        void Add(string section, params string[] snakeKeys)
        {
            foreach (var key in snakeKeys)
            {
                keys[key] = section;
                keys[string.Concat(key.Split('_').Select((p, i) => i == 0 ? p : char.ToUpperInvariant(p[0]) + p[1..]))] = section;
            }
        }

        Add("v3.BootstrapConfigDump", "bootstrap");
        Add("v3.ListenersConfigDump", "static_listeners", "dynamic_listeners");
        Add("v2alpha.ListenersConfigDump", "dynamic_active_listeners", "dynamic_warming_listeners", "dynamic_draining_listeners");
        Add("v3.ClustersConfigDump", "static_clusters", "dynamic_active_clusters", "dynamic_warming_clusters");
        Add("v3.RoutesConfigDump", "static_route_configs", "dynamic_route_configs");
        Add("v3.ScopedRoutesConfigDump", "inline_scoped_route_configs", "dynamic_scoped_route_configs");
        Add("v3.EndpointsConfigDump", "static_endpoint_configs", "dynamic_endpoint_configs");
        Add("v3.SecretsConfigDump", "static_secrets", "dynamic_active_secrets", "dynamic_warming_secrets");
        Add("v3.EcdsConfigDump", "ecds_filters");
        return keys;
    }

    private static Candidate Select(List<Candidate> candidates, string? proxy, string source)
    {
        if (proxy is null)
        {
            return candidates[0];
        }

        var matches = candidates.Where(c => c.Matches(proxy)).ToList();
        return matches.Count switch
        {
            1 => matches[0],
            0 => throw new EnvoyLensException(
                $"{source} holds no proxy named '{proxy}'; it holds {string.Join(", ", candidates.Select(c => c.Name))}."),
            _ => throw new EnvoyLensException(
                $"{source} holds several proxies matching '{proxy}' ({string.Join(", ", matches.Select(c => c.Name))}); name one as namespace/pod."),
        };
    }

    private static List<Candidate> Scan(byte[] json, string source, out List<string> topLevelKeys)
    {
        topLevelKeys = [];
        var found = new List<Candidate>();
        var reader = new Utf8JsonReader(json, isFinalBlock: false, state: default);
        try
        {
            Next(ref reader, json, source);
            if (reader.TokenType != JsonTokenType.StartObject)
            {
                throw new EnvoyLensException($"{source} is not a config dump: it is a JSON {Describe(reader.TokenType)}, not an object with \"configs\".");
            }

            ScanObject(ref reader, json, source, [], 0, found, topLevelKeys);

            var rest = json.AsSpan((int)reader.BytesConsumed);
            var trailing = rest.IndexOfAnyExcept(" \t\r\n"u8);
            if (trailing >= 0)
            {
                throw new EnvoyLensException(
                    $"{source} has data after the end of its JSON document (at byte {(reader.BytesConsumed + trailing).ToString(CultureInfo.InvariantCulture)}).");
            }
        }
        catch (JsonException ex)
        {
            var line = ((ex.LineNumber ?? 0) + 1).ToString(CultureInfo.InvariantCulture);
            var column = ((ex.BytePositionInLine ?? 0) + 1).ToString(CultureInfo.InvariantCulture);
            var what = ex.Message;
            var cut = what.IndexOf(" LineNumber:", StringComparison.Ordinal);
            what = (cut > 0 ? what[..cut] : what).TrimEnd('.', ' ');
            throw new EnvoyLensException($"{source} is not valid JSON at line {line}, column {column}: {what}.", ex);
        }

        return found;
    }

    private static void ScanObject(
        ref Utf8JsonReader reader, byte[] json, string source, List<string> path, int depth, List<Candidate> found, List<string>? keys)
    {
        Candidate? self = null;
        var nested = new List<Candidate>();
        var start = checked((int)reader.TokenStartIndex);
        string? typeUrl = null;
        var names = new List<string>();
        while (true)
        {
            Next(ref reader, json, source);
            if (reader.TokenType == JsonTokenType.EndObject)
            {
                break;
            }

            var name = reader.GetString()!;
            keys?.Add(name);
            names.Add(name);
            Next(ref reader, json, source);
            if (name == "configs" && self is null && reader.TokenType is JsonTokenType.StartArray or JsonTokenType.StartObject or JsonTokenType.Null)
            {
                self = ReadConfigs(ref reader, json, source, [.. path, name]);
                continue;
            }

            if (name == "@type" && typeUrl is null && reader.TokenType == JsonTokenType.String)
            {
                typeUrl = reader.GetString();
                continue;
            }

            if (reader.TokenType == JsonTokenType.StartObject && depth < MaxWrapperDepth)
            {
                ScanObject(ref reader, json, source, [.. path, name], depth + 1, nested, null);
            }
            else
            {
                SkipValue(ref reader, json, source);
            }
        }

        if (self is null && !names.Contains("configs") && SectionOf(typeUrl, names) is { } section)
        {
            // egctl config envoy-proxy listener|cluster|...: {"ns": {"pod": {"@type": "...ListenersConfigDump", ...}}}.
            var pointer = ToPointer(path);
            self = new Candidate(path, pointer, isMap: false) { Section = section };
            self.Entries.Add(new ConfigEntry(pointer, start, checked((int)reader.BytesConsumed) - start, section.TypeUrl, null));
        }

        if (self is not null)
        {
            found.Add(self);
        }
        else
        {
            found.AddRange(nested);
        }
    }

    private static Candidate ReadConfigs(ref Utf8JsonReader reader, byte[] json, string source, List<string> configsPath)
    {
        var wrapperPath = configsPath.GetRange(0, configsPath.Count - 1);
        var pointer = ToPointer(configsPath);
        var candidate = new Candidate(wrapperPath, ToPointer(wrapperPath), reader.TokenType == JsonTokenType.StartObject);
        switch (reader.TokenType)
        {
            case JsonTokenType.Null:
                candidate.Diagnostics.Add(new DecodeDiagnostic(
                    DiagnosticLevel.Warning, DiagnosticCodes.UnknownSection, source, pointer, "\"configs\" is null; the dump holds no configuration"));
                return candidate;
            case JsonTokenType.StartArray:
                for (var index = 0; ; index++)
                {
                    Next(ref reader, json, source);
                    if (reader.TokenType == JsonTokenType.EndArray)
                    {
                        return candidate;
                    }

                    ReadEntry(ref reader, json, source, pointer.Append(index), null, candidate);
                }

            default:
                while (true)
                {
                    Next(ref reader, json, source);
                    if (reader.TokenType == JsonTokenType.EndObject)
                    {
                        return candidate;
                    }

                    var key = reader.GetString()!;
                    Next(ref reader, json, source);
                    ReadEntry(ref reader, json, source, pointer.Append(key), key, candidate);
                }
        }
    }

    private static void ReadEntry(ref Utf8JsonReader reader, byte[] json, string source, JsonPointer pointer, string? mapKey, Candidate candidate)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            candidate.Diagnostics.Add(new DecodeDiagnostic(
                DiagnosticLevel.Warning,
                DiagnosticCodes.InvalidResource,
                source,
                pointer,
                $"config entry is a JSON {Describe(reader.TokenType)}, not an object; skipped"));
            SkipValue(ref reader, json, source);
            return;
        }

        var start = checked((int)reader.TokenStartIndex);
        string? typeUrl = null;

        // Walking past the entry, record what splitting it needs (its keys and arrays), so that takes no pass of its own.
        var outline = new SectionSplitter.Outline();
        while (true)
        {
            Next(ref reader, json, source);
            if (reader.TokenType == JsonTokenType.EndObject)
            {
                break;
            }

            var isType = reader.ValueTextEquals("@type"u8);
            var key = outline is null ? null : KeyText(ref reader);
            Next(ref reader, json, source);
            if (isType && typeUrl is null && reader.TokenType == JsonTokenType.String)
            {
                typeUrl = reader.GetString();
            }

            if (outline is not null && key is not null)
            {
                if (!outline.Record(ref reader, key, start))
                {
                    throw Truncated(json, source);
                }
            }
            else
            {
                // A key that is not valid text (an escaped lone surrogate): the entry is split, if at all, by its own pass.
                outline = null;
                SkipValue(ref reader, json, source);
            }
        }

        var end = checked((int)reader.BytesConsumed);
        candidate.Entries.Add(new ConfigEntry(pointer, start, end - start, typeUrl, mapKey) { Outline = outline });
    }

    /// <summary>The property name the reader is on, or null when it is not valid text.</summary>
    private static string? KeyText(ref Utf8JsonReader reader)
    {
        try
        {
            return reader.GetString();
        }
        catch (InvalidOperationException)
        {
            return null;
        }
    }

    private static void Next(ref Utf8JsonReader reader, byte[] json, string source)
    {
        if (!reader.Read())
        {
            throw Truncated(json, source);
        }
    }

    private static void SkipValue(ref Utf8JsonReader reader, byte[] json, string source)
    {
        if (reader.TokenType is JsonTokenType.StartObject or JsonTokenType.StartArray && !reader.TrySkip())
        {
            throw Truncated(json, source);
        }
    }

    private static EnvoyLensException Truncated(byte[] json, string source) =>
        new($"{source} is truncated: the JSON ends at byte {json.Length.ToString(CultureInfo.InvariantCulture)} before the document is complete.");

    private static string Describe(JsonTokenType token) => token switch
    {
        JsonTokenType.StartArray => "array",
        JsonTokenType.StartObject => "object",
        JsonTokenType.String => "string",
        JsonTokenType.Number => "number",
        JsonTokenType.True or JsonTokenType.False => "boolean",
        JsonTokenType.Null => "null",
        _ => token.ToString().ToLowerInvariant(),
    };

    private static JsonPointer ToPointer(List<string> path)
    {
        var pointer = JsonPointer.Root;
        foreach (var token in path)
        {
            pointer = pointer.Append(token);
        }

        return pointer;
    }

    /// <summary>A single config dump section: its type URL, whether that was inferred (no <c>@type</c>), and from which key.</summary>
    private sealed record SectionKind(string TypeUrl, bool Inferred, string Key);

    private sealed class Candidate(List<string> path, JsonPointer pointer, bool isMap)
    {
        public List<string> Path { get; } = path;

        public JsonPointer Pointer { get; } = pointer;

        public bool IsMap { get; } = isMap;

        public List<ConfigEntry> Entries { get; } = [];

        public List<DecodeDiagnostic> Diagnostics { get; } = [];

        /// <summary>Set when the candidate is a single config dump section rather than a dump with <c>configs</c>.</summary>
        public SectionKind? Section { get; init; }

        /// <summary><c>default/eg</c> for egctl translate, <c>ns/pod</c> for envoy-proxy output, the key for a single wrapper.</summary>
        public string Name => Path switch
        {
            ["xds", var name] => name,
            [var ns, var pod] => ns + "/" + pod,
            _ => string.Join("/", Path),
        };

        public string WrapperForm => Path switch
        {
            ["xds", _] => ConfigDumpForms.EgctlXds,
            [_, _] => ConfigDumpForms.EgctlNamespaced,
            _ => ConfigDumpForms.Named,
        };

        public bool Matches(string proxy)
        {
            if (proxy == Name || proxy == Path[^1] || proxy == string.Join("/", Path))
            {
                return true;
            }

            var slash = Name.LastIndexOf('/');
            if (slash <= 0)
            {
                return false;
            }

            var ns = Name[..slash];
            var pod = Name[(slash + 1)..];
            return proxy == pod || proxy == pod + "." + ns;
        }
    }
}
