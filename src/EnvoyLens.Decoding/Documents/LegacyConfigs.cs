using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using EnvoyLens.Core;

namespace EnvoyLens.Decoding.Documents;

/// <summary>
/// v2-era configuration that the v3 API no longer reads, converted to its v3 form before decoding:
/// <list type="bullet">
/// <item>Extensions configured with a <c>google.protobuf.Struct</c> (<c>config</c>, or <c>hidden_envoy_deprecated_config</c>
/// in Envoy 1.13–1.17 dumps) instead of <c>typed_config</c>: the Struct becomes a <c>typed_config</c> of the v3 type the
/// extension's name implies in its place (network, HTTP and listener filters, access loggers, stats sinks, tracers). A v2
/// Struct uses v2 field names, which mostly are the v3 names; a field v3 no longer has stays in the payload, so the reader
/// keeps it raw and reports it as an unknown field.</item>
/// <item>The tcp_proxy route table (<c>deprecated_v1</c>, in its v1 JSON form <c>{"deprecated_v1": true, "value": {...}}</c>
/// or the v2 form <c>"deprecated_v1": {"routes": [...]}</c>): each route becomes a copy of its filter chain whose match
/// is the route's destination (and source) addresses and ports and whose tcp_proxy sends to the route's cluster — what
/// v3 expresses with <c>filter_chain_match</c>.</item>
/// <item><c>Listener.deprecated_v1.bind_to_port</c> becomes <c>bind_to_port</c>; <c>Cluster.hosts</c> becomes a
/// <c>load_assignment</c>; <c>tls_context</c> of a cluster or filter chain becomes its TLS <c>transport_socket</c>.</item>
/// </list>
/// What cannot be expressed in v3 is kept (raw, so the reader reports it) and said in a warning.
/// </summary>
internal static class LegacyConfigs
{
    private const string TypePrefix = "type.googleapis.com/";

    /// <summary>The most routes of one tcp_proxy v1 route table turned into filter chains (each copies the chain).</summary>
    private const int MaxRoutesPerTable = 1024;
    private const string TcpProxyType = "envoy.extensions.filters.network.tcp_proxy.v3.TcpProxy";
    private const string TlsSocketName = "envoy.transport_sockets.tls";
    private const string UpstreamTlsType = "envoy.extensions.transport_sockets.tls.v3.UpstreamTlsContext";
    private const string DownstreamTlsType = "envoy.extensions.transport_sockets.tls.v3.DownstreamTlsContext";

    /// <summary>The keys a v2 Struct config was written under, in v2 dumps and in the v3 dumps of Envoy 1.13–1.17.</summary>
    private static readonly string[] StructKeys = ["config", "hidden_envoy_deprecated_config", "hiddenEnvoyDeprecatedConfig"];

    /// <summary>Byte patterns whose absence proves a section holds nothing this class converts (most dumps: no parse).</summary>
    private static readonly byte[][] Triggers =
    [
        "\"config\""u8.ToArray(), "\"hidden_envoy_deprecated_"u8.ToArray(), "\"hiddenEnvoyDeprecated"u8.ToArray(),
        "\"deprecated_v1\""u8.ToArray(), "\"deprecatedV1\""u8.ToArray(), "\"hosts\""u8.ToArray(),
        "\"tls_context\""u8.ToArray(), "\"tlsContext\""u8.ToArray(),
    ];

    /// <summary>
    /// Extension name → v3 message, per place an extension is configured. Legacy names (<c>envoy.router</c>) and the
    /// names of Envoy 1.14+ (<c>envoy.filters.http.router</c>) both appear in dumps with Struct configs.
    /// </summary>
    internal static readonly IReadOnlyDictionary<Slot, IReadOnlyDictionary<string, string>> Types = new Dictionary<Slot, IReadOnlyDictionary<string, string>>
    {
        [Slot.NetworkFilter] = Table("envoy.extensions.filters.network.", ".v3.", [
            ("http_connection_manager", "HttpConnectionManager", ["envoy.http_connection_manager"]),
            ("tcp_proxy", "TcpProxy", ["envoy.tcp_proxy"]),
            ("rbac", "RBAC", []),
            ("redis_proxy", "RedisProxy", ["envoy.redis_proxy"]),
            ("mongo_proxy", "MongoProxy", ["envoy.mongo_proxy"]),
            ("ratelimit", "RateLimit", ["envoy.ratelimit"]),
            ("ext_authz", "ExtAuthz", ["envoy.ext_authz"]),
            ("echo", "Echo", ["envoy.echo"]),
            ("thrift_proxy", "ThriftProxy", []),
            ("dubbo_proxy", "DubboProxy", []),
            ("zookeeper_proxy", "ZooKeeperProxy", []),
            ("sni_cluster", "SniCluster", []),
            ("local_ratelimit", "LocalRateLimit", []),
        ]),
        [Slot.HttpFilter] = Table("envoy.extensions.filters.http.", ".v3.", [
            ("router", "Router", ["envoy.router"]),
            ("cors", "Cors", ["envoy.cors"]),
            ("fault", "HTTPFault", ["envoy.fault"]),
            ("buffer", "Buffer", ["envoy.buffer"]),
            ("lua", "Lua", ["envoy.lua"]),
            ("health_check", "HealthCheck", ["envoy.health_check"]),
            ("ext_authz", "ExtAuthz", ["envoy.ext_authz"]),
            ("ratelimit", "RateLimit", ["envoy.rate_limit", "envoy.ratelimit"]),
            ("grpc_web", "GrpcWeb", ["envoy.grpc_web"]),
            ("grpc_json_transcoder", "GrpcJsonTranscoder", ["envoy.grpc_json_transcoder"]),
            ("grpc_http1_bridge", "Config", ["envoy.grpc_http1_bridge"]),
            ("ip_tagging", "IPTagging", ["envoy.ip_tagging"]),
            ("gzip", "Gzip", ["envoy.gzip"]),
            ("jwt_authn", "JwtAuthentication", []),
            ("rbac", "RBAC", []),
            ("header_to_metadata", "Config", []),
            ("original_src", "OriginalSrc", []),
            ("csrf", "CsrfPolicy", []),
            ("tap", "Tap", []),
            ("grpc_stats", "FilterConfig", []),
            ("wasm", "Wasm", []),
        ]),
        [Slot.ListenerFilter] = Table("envoy.extensions.filters.listener.", ".v3.", [
            ("original_dst", "OriginalDst", ["envoy.listener.original_dst"]),
            ("tls_inspector", "TlsInspector", ["envoy.listener.tls_inspector"]),
            ("http_inspector", "HttpInspector", ["envoy.listener.http_inspector"]),
            ("proxy_protocol", "ProxyProtocol", ["envoy.listener.proxy_protocol"]),
            ("original_src", "OriginalSrc", ["envoy.listener.original_src"]),
        ]),
        [Slot.AccessLog] = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["envoy.file_access_log"] = "envoy.extensions.access_loggers.file.v3.FileAccessLog",
            ["envoy.access_loggers.file"] = "envoy.extensions.access_loggers.file.v3.FileAccessLog",
            ["envoy.http_grpc_access_log"] = "envoy.extensions.access_loggers.grpc.v3.HttpGrpcAccessLogConfig",
            ["envoy.access_loggers.http_grpc"] = "envoy.extensions.access_loggers.grpc.v3.HttpGrpcAccessLogConfig",
            ["envoy.tcp_grpc_access_log"] = "envoy.extensions.access_loggers.grpc.v3.TcpGrpcAccessLogConfig",
            ["envoy.access_loggers.tcp_grpc"] = "envoy.extensions.access_loggers.grpc.v3.TcpGrpcAccessLogConfig",
        },
        [Slot.StatsSink] = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["envoy.statsd"] = "envoy.config.metrics.v3.StatsdSink",
            ["envoy.stat_sinks.statsd"] = "envoy.config.metrics.v3.StatsdSink",
            ["envoy.dog_statsd"] = "envoy.config.metrics.v3.DogStatsdSink",
            ["envoy.stat_sinks.dog_statsd"] = "envoy.config.metrics.v3.DogStatsdSink",
            ["envoy.metrics_service"] = "envoy.config.metrics.v3.MetricsServiceConfig",
            ["envoy.stat_sinks.metrics_service"] = "envoy.config.metrics.v3.MetricsServiceConfig",
        },
        [Slot.Tracer] = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["envoy.zipkin"] = "envoy.config.trace.v3.ZipkinConfig",
            ["envoy.tracers.zipkin"] = "envoy.config.trace.v3.ZipkinConfig",
            ["envoy.lightstep"] = "envoy.config.trace.v3.LightstepConfig",
            ["envoy.tracers.lightstep"] = "envoy.config.trace.v3.LightstepConfig",
            ["envoy.tracers.datadog"] = "envoy.config.trace.v3.DatadogConfig",
            ["envoy.dynamic.ot"] = "envoy.config.trace.v3.DynamicOtConfig",
            ["envoy.tracers.dynamic_ot"] = "envoy.config.trace.v3.DynamicOtConfig",
        },
    };

    /// <summary>Where an extension is configured; each place has its own names (<c>envoy.ratelimit</c> is both a network and an HTTP filter).</summary>
    internal enum Slot
    {
        NetworkFilter,
        HttpFilter,
        ListenerFilter,
        AccessLog,
        StatsSink,
        Tracer,
    }

    /// <summary>
    /// Whether <paramref name="json"/> may hold something to convert (false: certainly not). With the
    /// <paramref name="outline"/> the layout pass recorded for it, the look at property names is shared out across
    /// the cores: each object of the section's top-level arrays on its own, and the rest with those objects emptied.
    /// A property's verdict depends only on the object it is in, so the answer is the same.
    /// </summary>
    public static bool MayApply(ReadOnlyMemory<byte> json, SectionSplitter.Outline? outline)
    {
        var span = json.Span;
        var triggered = false;
        foreach (var trigger in Triggers)
        {
            if (span.IndexOf(trigger) >= 0)
            {
                triggered = true;
                break;
            }
        }

        // Istio writes "config" into every cluster's metadata (a string) and Wasm writes it inside typed_config: a
        // byte match says little, so look at where the names stand before parsing the section into a tree.
        if (!triggered)
        {
            return false;
        }

        if (outline is null || outline.Arrays.Sum(a => a.Elements.Count) < 2)
        {
            return HasLegacyProperty(span);
        }

        var objects = outline.Arrays.SelectMany(a => a.Elements).ToArray();
        if (HasLegacyProperty(WithObjectsEmptied(span, objects)))
        {
            return true;
        }

        var found = 0;
        Parallel.For(0, objects.Length, (i, loop) =>
        {
            if (HasLegacyProperty(json.Span.Slice(objects[i].Offset, objects[i].Length)))
            {
                Interlocked.Exchange(ref found, 1);
                loop.Stop();
            }
        });
        return found == 1;
    }

    /// <summary><paramref name="json"/> with each of <paramref name="objects"/> (in document order) replaced by <c>{}</c>.</summary>
    private static byte[] WithObjectsEmptied(ReadOnlySpan<byte> json, (int Offset, int Length)[] objects)
    {
        var result = new byte[json.Length - objects.Sum(o => o.Length - 2)];
        var from = 0;
        var to = 0;
        foreach (var (offset, length) in objects)
        {
            json[from..offset].CopyTo(result.AsSpan(to));
            to += offset - from;
            result[to++] = (byte)'{';
            result[to++] = (byte)'}';
            from = offset + length;
        }

        json[from..].CopyTo(result.AsSpan(to));
        return result;
    }

    /// <summary>
    /// Whether <paramref name="json"/> has, as a property name, something <see cref="Apply"/> may convert: a Struct
    /// key (<c>config</c>) whose value is an object in an object with none of <c>@type</c>, <c>typed_config</c> and
    /// <c>config_discovery</c>, or a v2-only field (<c>hosts</c>, <c>tls_context</c>, <c>deprecated_v1</c>,
    /// <c>hidden_envoy_deprecated_*</c>). One forward pass, no tree; true for input it cannot read, which the full
    /// path then reports as before.
    /// </summary>
    internal static bool HasLegacyProperty(ReadOnlySpan<byte> json)
    {
        const byte StructConfig = 1, Typed = 2;
        var reader = new Utf8JsonReader(json, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Disallow, AllowTrailingCommas = true, MaxDepth = 1024 });
        var objects = new List<byte>();
        var structKeyBefore = false;
        try
        {
            while (reader.Read())
            {
                var structValue = structKeyBefore;
                structKeyBefore = false;
                switch (reader.TokenType)
                {
                    case JsonTokenType.StartObject:
                        if (structValue)
                        {
                            objects[^1] |= StructConfig;
                        }

                        objects.Add(0);
                        break;
                    case JsonTokenType.EndObject:
                        if (objects[^1] == StructConfig)
                        {
                            return true;
                        }

                        objects.RemoveAt(objects.Count - 1);
                        break;
                    case JsonTokenType.PropertyName:
                        var name = reader.ValueIsEscaped ? Encoding.UTF8.GetBytes(reader.GetString()!) : reader.ValueSpan;
                        switch (LegacyName(name))
                        {
                            case NameKind.V2Only:
                                return true;
                            case NameKind.StructKey:
                                structKeyBefore = true;
                                break;
                            case NameKind.TypedKey:
                                objects[^1] |= Typed;
                                break;
                        }

                        break;
                }
            }
        }
        catch (JsonException)
        {
            return true;
        }

        return false;
    }

    private enum NameKind
    {
        Other,
        StructKey,
        TypedKey,
        V2Only,
    }

    private static NameKind LegacyName(ReadOnlySpan<byte> name)
    {
        if (name.SequenceEqual("config"u8))
        {
            return NameKind.StructKey;
        }

        // An object with an @type is a typed payload (Wasm's own "config" field), never an extension to convert.
        if (name.SequenceEqual("@type"u8) || name.SequenceEqual("typed_config"u8) || name.SequenceEqual("typedConfig"u8) ||
            name.SequenceEqual("config_discovery"u8) || name.SequenceEqual("configDiscovery"u8))
        {
            return NameKind.TypedKey;
        }

        return name.StartsWith("hidden_envoy_deprecated_"u8) || name.StartsWith("hiddenEnvoyDeprecated"u8) ||
               name.SequenceEqual("hosts"u8) || name.SequenceEqual("tls_context"u8) || name.SequenceEqual("tlsContext"u8) ||
               name.SequenceEqual("deprecated_v1"u8) || name.SequenceEqual("deprecatedV1"u8)
            ? NameKind.V2Only
            : NameKind.Other;
    }

    /// <summary>
    /// Converts, in place, what <paramref name="section"/> holds of v2-era configuration; returns false when it holds none.
    /// <paramref name="at"/> is where the section is in the document; diagnostics are added to <paramref name="notes"/>.
    /// </summary>
    public static bool Apply(JsonObject section, string source, JsonPointer at, bool rewrittenShape, ICollection<DecodeDiagnostic> notes)
    {
        var run = new Run(source);
        run.Walk(section, at, parentKey: null);
        if (run.Changes.Count == 0)
        {
            foreach (var warning in run.Warnings)
            {
                notes.Add(warning);
            }

            return false;
        }

        var pointers = rewrittenShape ? "pointers inside this section refer to the rewritten form" : "pointers inside this section refer to the converted form";
        notes.Add(new DecodeDiagnostic(
            DiagnosticLevel.Info,
            DiagnosticCodes.Interpretation,
            source,
            at,
            $"{source} at {at} holds v2-era configuration that the v3 API no longer reads; it was converted before decoding: {string.Join("; ", run.Summary())}. " +
            $"Fields v3 does not have are kept raw and reported as unknown fields, and {pointers}."));
        foreach (var warning in run.Warnings)
        {
            notes.Add(warning);
        }

        return true;
    }

    private static Dictionary<string, string> Table(string prefix, string infix, (string Short, string Message, string[] Legacy)[] rows)
    {
        var table = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, message, legacy) in rows)
        {
            var type = prefix + name + infix + message;
            table[prefix[..^1].Replace("extensions.", string.Empty, StringComparison.Ordinal) + "." + name] = type;
            foreach (var old in legacy)
            {
                table[old] = type;
            }
        }

        return table;
    }

    private sealed class Run(string source)
    {
        private readonly SortedDictionary<string, int> _converted = new(StringComparer.Ordinal);
        private readonly SortedDictionary<string, int> _unknown = new(StringComparer.Ordinal);
        private readonly SortedDictionary<string, int> _other = new(StringComparer.Ordinal);

        public List<string> Changes { get; } = [];

        public List<DecodeDiagnostic> Warnings { get; } = [];

        public IEnumerable<string> Summary()
        {
            if (_converted.Count > 0)
            {
                var total = _converted.Values.Sum();
                yield return $"{Plural(total, "extension config", "extension configs")} given as a google.protobuf.Struct read as the v3 type the extension's name implies (" +
                             string.Join(", ", _converted.Select(c => $"{c.Key} ({c.Value.ToString(CultureInfo.InvariantCulture)})")) + ")";
            }

            if (_unknown.Count > 0)
            {
                yield return "Struct configs kept raw because EnvoyLens knows no v3 type for the extension's name: " +
                             string.Join(", ", _unknown.Select(c => $"'{c.Key}' ({c.Value.ToString(CultureInfo.InvariantCulture)})"));
            }

            foreach (var (change, n) in _other)
            {
                yield return n == 1 ? change : $"{change} ({n.ToString(CultureInfo.InvariantCulture)} times)";
            }
        }

        public void Walk(JsonNode? node, JsonPointer at, string? parentKey)
        {
            switch (node)
            {
                case JsonArray array:
                    for (var i = 0; i < array.Count; i++)
                    {
                        Walk(array[i], at.Append(i), parentKey);
                    }

                    break;
                case JsonObject obj:
                    WalkObject(obj, at, parentKey);
                    break;
            }
        }

        private void WalkObject(JsonObject obj, JsonPointer at, string? parentKey)
        {
            var parent = parentKey is null ? null : Snake(parentKey);
            if (parent is "cluster" or "clusters")
            {
                ClusterHosts(obj);
                TlsContext(obj, UpstreamTlsType);
            }
            else if (parent == "filter_chains" || parent == "default_filter_chain")
            {
                TlsContext(obj, DownstreamTlsType);
            }

            if (parent is "listener" or "listeners")
            {
                ListenerBindToPort(obj);
            }

            foreach (var (key, value) in obj.ToList())
            {
                var snake = Snake(key);
                var slot = snake switch
                {
                    "filters" when parent != "and_filter" && parent != "or_filter" => Slot.NetworkFilter,
                    "http_filters" => Slot.HttpFilter,
                    "listener_filters" => Slot.ListenerFilter,
                    "access_log" => Slot.AccessLog,
                    "stats_sinks" => Slot.StatsSink,
                    _ => (Slot?)null,
                };
                var keyAt = at.Append(key);
                if (slot is { } s && value is JsonArray extensions)
                {
                    for (var i = 0; i < extensions.Count; i++)
                    {
                        if (extensions[i] is JsonObject extension)
                        {
                            Convert(extension, s, keyAt.Append(i));
                        }
                    }
                }
                else if (snake == "http" && parent == "tracing" && value is JsonObject tracer)
                {
                    Convert(tracer, Slot.Tracer, keyAt);
                }

                Walk(obj[key], keyAt, key);
                if (snake == "filter_chains" && obj[key] is JsonArray chains)
                {
                    TcpRouteTables(chains, keyAt);
                }
            }
        }

        /// <summary>A Struct <c>config</c> becomes a <c>typed_config</c> of the type the name implies, in its place.</summary>
        private void Convert(JsonObject extension, Slot slot, JsonPointer at)
        {
            if (Find(extension, "typed_config") is not null || Find(extension, "config_discovery") is not null)
            {
                return;
            }

            var structKey = StructKeys.FirstOrDefault(extension.ContainsKey);
            if (structKey is null || extension[structKey] is not JsonObject config)
            {
                return;
            }

            var name = extension["name"] is JsonValue v && v.TryGetValue<string>(out var n) ? n : null;
            if (name is null || !Types[slot].TryGetValue(name, out var type))
            {
                _unknown[name ?? "(no name)"] = _unknown.GetValueOrDefault(name ?? "(no name)") + 1;
                return;
            }

            if (IsV1Json(config))
            {
                if (type != TcpProxyType || !TcpV1ToV2(config))
                {
                    Warnings.Add(new DecodeDiagnostic(
                        DiagnosticLevel.Warning,
                        DiagnosticCodes.UnknownField,
                        source,
                        at.Append(structKey),
                        $"The '{name}' config is in the v1 JSON format (deprecated_v1: true), which EnvoyLens does not convert; it is kept raw and the filter's settings are not in the model."));
                    return;
                }
            }

            var index = extension.IndexOf(structKey);
            extension.RemoveAt(index);
            if (config.ContainsKey("@type"))
            {
                config.Remove("@type");
            }

            config.Insert(0, "@type", TypePrefix + type);
            extension.Insert(index, "typed_config", config);
            var label = $"{name} → {type}";
            _converted[label] = _converted.GetValueOrDefault(label) + 1;
            Changes.Add(label);
        }

        private static bool IsV1Json(JsonObject config) =>
            config["deprecated_v1"] is JsonValue flag && flag.TryGetValue<bool>(out var on) && on;

        /// <summary>
        /// <c>{"deprecated_v1": true, "value": {"stat_prefix": ..., "route_config": {"routes": [...]}}}</c> → the v2 form
        /// <c>{"stat_prefix": ..., "deprecated_v1": {"routes": [...]}}</c>, in place; other v1 keys are kept as they are.
        /// </summary>
        private bool TcpV1ToV2(JsonObject config)
        {
            if (config["value"] is not JsonObject value)
            {
                return false;
            }

            config.Remove("deprecated_v1");
            config.Remove("value");
            foreach (var (key, item) in value.ToList())
            {
                value.Remove(key);
                if (key == "route_config" && item is JsonObject routeConfig)
                {
                    var routes = routeConfig["routes"]?.DeepClone() ?? new JsonArray();
                    config["deprecated_v1"] = new JsonObject { ["routes"] = routes };
                }
                else
                {
                    config[key] = item;
                }
            }

            if (!config.ContainsKey("deprecated_v1"))
            {
                config["deprecated_v1"] = new JsonObject { ["routes"] = new JsonArray() };
            }

            Count("tcp_proxy config in the v1 JSON format (deprecated_v1: true, value) read as v2");
            return true;
        }

        /// <summary>
        /// Each filter chain whose tcp_proxy has a v1 route table (<c>deprecated_v1.routes</c>) becomes one chain per route,
        /// matching the route's destination and source, its tcp_proxy sending to the route's cluster.
        /// </summary>
        private void TcpRouteTables(JsonArray chains, JsonPointer at)
        {
            for (var i = 0; i < chains.Count; i++)
            {
                if (chains[i] is not JsonObject chain || Find(chain, "filters")?.Value is not JsonArray filters)
                {
                    continue;
                }

                var index = -1;
                JsonObject? tcp = null;
                for (var f = 0; f < filters.Count && tcp is null; f++)
                {
                    if (filters[f] is JsonObject filter && Find(filter, "typed_config")?.Value is JsonObject typed &&
                        typed["@type"] is JsonValue t && t.TryGetValue<string>(out var url) && url.EndsWith("/" + TcpProxyType, StringComparison.Ordinal) &&
                        Find(typed, DeprecatedV1) is { Value: JsonObject })
                    {
                        (index, tcp) = (f, typed);
                    }
                }

                if (tcp is null)
                {
                    continue;
                }

                var filtersKey = Find(chain, "filters")!.Value.Key;
                var typedKey = Find(filters[index]!.AsObject(), "typed_config")!.Value.Key;
                var tcpAt = at.Append(i).Append(filtersKey).Append(index).Append(typedKey);
                if (Find(tcp, "cluster") is not null || Find(tcp, "weighted_clusters") is not null)
                {
                    Warnings.Add(new DecodeDiagnostic(DiagnosticLevel.Warning, DiagnosticCodes.UnknownField, source, tcpAt,
                        "This tcp_proxy has both a cluster and a v1 route table (deprecated_v1); the route table is kept raw and only the cluster is in the model."));
                    continue;
                }

                var table = Find(tcp, DeprecatedV1)!.Value;
                var routes = (table.Value as JsonObject)?["routes"] as JsonArray ?? new JsonArray();
                if (routes.Count > MaxRoutesPerTable)
                {
                    // Each route copies its chain: bound what a hostile table can cost.
                    Warnings.Add(new DecodeDiagnostic(DiagnosticLevel.Warning, DiagnosticCodes.UnknownField, source, tcpAt.Append(table.Key),
                        $"This tcp_proxy v1 route table has {routes.Count.ToString(CultureInfo.InvariantCulture)} routes, more than the {MaxRoutesPerTable.ToString(CultureInfo.InvariantCulture)} EnvoyLens converts; it is kept raw and the chain has no cluster in the model."));
                    continue;
                }
                var replacement = new List<JsonObject>();
                var matches = new HashSet<string>(StringComparer.Ordinal);
                for (var r = 0; r < routes.Count; r++)
                {
                    var copy = (JsonObject)chain.DeepClone();
                    var copyTcp = (JsonObject)((JsonObject)((JsonArray)copy[filtersKey]!)[index]!)[typedKey]!;
                    copyTcp.Remove(table.Key);
                    var routeAt = tcpAt.Append(table.Key).Append("routes").Append(r);
                    var unmapped = routes[r] is JsonObject route ? ApplyRoute(copy, copyTcp, route, routeAt) : null;
                    if (unmapped is not null)
                    {
                        copyTcp["deprecated_v1"] = new JsonObject { ["routes"] = new JsonArray(unmapped) };
                    }

                    // v1 takes the first route that matches: a later route with the same match never receives a connection.
                    if (!matches.Add(Find(copy, "filter_chain_match")?.Value?.ToJsonString() ?? string.Empty))
                    {
                        Warnings.Add(new DecodeDiagnostic(DiagnosticLevel.Warning, DiagnosticCodes.InvalidValue, source, routeAt,
                            $"This tcp_proxy v1 route to '{copyTcp["cluster"]}' matches the same connections as an earlier route of its table, which takes them all; it is left out of the model."));
                        continue;
                    }

                    replacement.Add(copy);
                }

                if (routes.Count == 0)
                {
                    tcp.Remove(table.Key);
                    Count("empty tcp_proxy v1 route table dropped (the chain has no upstream cluster)");
                    continue;
                }

                chains.RemoveAt(i);
                for (var r = 0; r < replacement.Count; r++)
                {
                    chains.Insert(i + r, replacement[r]);
                }

                i += replacement.Count - 1;
                Count(routes.Count == 1
                    ? "tcp_proxy v1 route table (deprecated_v1) of 1 route read as the chain's cluster and filter_chain_match"
                    : "tcp_proxy v1 route table (deprecated_v1) split into one filter chain per route, each matching the route's addresses and ports and sending to its cluster");
            }
        }

        /// <summary>Puts one v1 route into its chain copy; returns what does not map (to keep raw), or null.</summary>
        private JsonObject? ApplyRoute(JsonObject chain, JsonObject tcp, JsonObject route, JsonPointer at)
        {
            if (Find(route, "cluster")?.Value is JsonValue c && c.TryGetValue<string>(out var cluster))
            {
                tcp["cluster"] = cluster;
            }

            var matchKey = Find(chain, "filter_chain_match")?.Key ?? "filter_chain_match";
            if (chain[matchKey] is not JsonObject match)
            {
                match = new JsonObject();
                chain[matchKey] = match;
            }
            var unmapped = new JsonObject();
            var problems = new List<string>();

            void Ranges(string routeKey, string matchField)
            {
                if (Find(route, routeKey) is not { Value: JsonArray list } found || list.Count == 0)
                {
                    return;
                }

                var ranges = new JsonArray();
                foreach (var item in list)
                {
                    if (Cidr(item) is { } range)
                    {
                        ranges.Add((JsonNode)range);
                    }
                    else
                    {
                        ranges = null;
                        break;
                    }
                }

                if (ranges is null || (Find(match, matchField)?.Value is JsonArray { Count: > 0 }))
                {
                    unmapped[found.Key] = list.DeepClone();
                    problems.Add(ranges is null ? $"{found.Key} holds a value that is not an address range" : $"{found.Key} conflicts with the chain's own {matchField}");
                    return;
                }

                match[Find(match, matchField)?.Key ?? matchField] = ranges;
            }

            Ranges("destination_ip_list", "prefix_ranges");
            Ranges("source_ip_list", "source_prefix_ranges");

            if (Find(route, "destination_ports") is { } destination && PortText(destination.Value) is { } ports)
            {
                if (Ports(ports) is [var port] && Find(match, "destination_port") is null)
                {
                    match["destination_port"] = port;
                }
                else
                {
                    unmapped[destination.Key] = destination.Value!.DeepClone();
                    problems.Add($"{destination.Key} '{ports}' is not one port, which is all a v3 filter chain match can hold");
                }
            }

            if (Find(route, "source_ports") is { } origin && PortText(origin.Value) is { } sourcePorts)
            {
                if (Ports(sourcePorts) is { } list && Find(match, "source_ports") is null)
                {
                    match["source_ports"] = new JsonArray(list.Select(p => (JsonNode)p).ToArray());
                }
                else
                {
                    unmapped[origin.Key] = origin.Value!.DeepClone();
                    problems.Add($"{origin.Key} '{sourcePorts}' holds a port range, which a v3 filter chain match cannot hold");
                }
            }

            if (match.Count == 0)
            {
                chain.Remove(matchKey);
            }

            if (problems.Count == 0)
            {
                return null;
            }

            Warnings.Add(new DecodeDiagnostic(DiagnosticLevel.Warning, DiagnosticCodes.UnknownField, source, at,
                $"This tcp_proxy v1 route to '{Find(route, "cluster")?.Value}' cannot be fully expressed as a v3 filter chain match ({string.Join("; ", problems)}); that part is kept raw and the chain matches without it."));
            return unmapped;
        }

        /// <summary>A v1 route's ports: a number, or a string of comma-separated ports and ranges.</summary>
        private static string? PortText(JsonNode? node) => node switch
        {
            JsonValue v when v.TryGetValue<string>(out var s) => s,
            JsonValue v when v.TryGetValue<long>(out var n) => n.ToString(CultureInfo.InvariantCulture),
            _ => null,
        };

        /// <summary>The single ports of a port list, or null when it holds a range or is not a port list.</summary>
        private static int[]? Ports(string text)
        {
            var ports = new List<int>();
            foreach (var part in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                if (!int.TryParse(part, NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port > 65535)
                {
                    return null;
                }

                ports.Add(port);
            }

            return ports.Count == 0 ? null : ports.ToArray();
        }

        /// <summary>"10.0.0.0/8" (v1) or a CidrRange object (v2) → a v3 CidrRange object.</summary>
        private static JsonObject? Cidr(JsonNode? item)
        {
            if (item is JsonObject obj)
            {
                return (JsonObject)obj.DeepClone();
            }

            if (item is not JsonValue v || !v.TryGetValue<string>(out var text) || text.Length == 0)
            {
                return null;
            }

            var slash = text.IndexOf('/', StringComparison.Ordinal);
            var address = slash < 0 ? text : text[..slash];
            if (!System.Net.IPAddress.TryParse(address, out var ip))
            {
                return null;
            }

            var max = ip.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? 128 : 32;
            var length = max;
            if (slash >= 0 && (!int.TryParse(text[(slash + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out length) || length > max))
            {
                return null;
            }

            return new JsonObject { ["address_prefix"] = address, ["prefix_len"] = length };
        }

        /// <summary><c>Listener.deprecated_v1: {bind_to_port}</c> (v2) → <c>bind_to_port</c> (v3).</summary>
        private void ListenerBindToPort(JsonObject listener)
        {
            if (Find(listener, DeprecatedV1) is not { Value: JsonObject legacy } found || Find(legacy, "bind_to_port") is not { } bind ||
                Find(listener, "address") is null)
            {
                return;
            }

            legacy.Remove(bind.Key);
            if (Find(listener, "bind_to_port") is null)
            {
                listener[bind.Key == "bindToPort" ? "bindToPort" : "bind_to_port"] = bind.Value;
            }

            if (legacy.Count == 0)
            {
                listener.Remove(found.Key);
            }

            Count("Listener.deprecated_v1.bind_to_port read as bind_to_port");
        }

        /// <summary><c>Cluster.hosts</c> (v2 only) → a <c>load_assignment</c> with one locality holding those addresses.</summary>
        private void ClusterHosts(JsonObject cluster)
        {
            if (Find(cluster, "hosts", "hidden_envoy_deprecated_hosts") is not { Value: JsonArray hosts } found || Find(cluster, "load_assignment") is not null ||
                cluster["name"] is not JsonValue nameValue || !nameValue.TryGetValue<string>(out var name))
            {
                return;
            }

            var endpoints = new JsonArray();
            foreach (var host in hosts)
            {
                endpoints.Add((JsonNode)new JsonObject { ["endpoint"] = new JsonObject { ["address"] = host?.DeepClone() } });
            }

            var index = cluster.IndexOf(found.Key);
            cluster.RemoveAt(index);
            cluster.Insert(index, "load_assignment", new JsonObject
            {
                ["cluster_name"] = name,
                ["endpoints"] = new JsonArray(new JsonObject { ["lb_endpoints"] = endpoints }),
            });
            Count("Cluster.hosts read as load_assignment");
        }

        /// <summary><c>tls_context</c> of a cluster or filter chain (v2 only) → its TLS <c>transport_socket</c>.</summary>
        private void TlsContext(JsonObject owner, string type)
        {
            if (Find(owner, "tls_context", "hidden_envoy_deprecated_tls_context") is not { Value: JsonObject tls } found || Find(owner, "transport_socket") is not null)
            {
                return;
            }

            var index = owner.IndexOf(found.Key);
            owner.RemoveAt(index);
            tls.Insert(0, "@type", TypePrefix + type);
            owner.Insert(index, "transport_socket", new JsonObject { ["name"] = TlsSocketName, ["typed_config"] = tls });
            Count(type == UpstreamTlsType ? "Cluster.tls_context read as a TLS transport_socket" : "FilterChain.tls_context read as a TLS transport_socket");
        }

        private void Count(string change)
        {
            _other[change] = _other.GetValueOrDefault(change) + 1;
            Changes.Add(change);
        }
    }

    private static string Plural(int n, string one, string many) =>
        n.ToString(CultureInfo.InvariantCulture) + " " + (n == 1 ? one : many);

    /// <summary>The v2 <c>deprecated_v1</c> field, as v2 spelled it and as the v3 dumps of Envoy 1.13–1.17 did.</summary>
    private static readonly string[] DeprecatedV1 = ["deprecated_v1", "hidden_envoy_deprecated_deprecated_v1"];

    /// <summary>The first of the properties spelled <paramref name="snakeKeys"/> (or in camelCase) present, if any.</summary>
    internal static KeyValuePair<string, JsonNode?>? Find(JsonObject obj, params string[] snakeKeys)
    {
        foreach (var key in snakeKeys)
        {
            if (Find(obj, key) is { } found)
            {
                return found;
            }
        }

        return null;
    }

    /// <summary>The property spelled <paramref name="snakeKey"/> or in camelCase, if present.</summary>
    internal static KeyValuePair<string, JsonNode?>? Find(JsonObject obj, string snakeKey)
    {
        if (obj.TryGetPropertyValue(snakeKey, out var value))
        {
            return new KeyValuePair<string, JsonNode?>(snakeKey, value);
        }

        var camel = Camel(snakeKey);
        return camel != snakeKey && obj.TryGetPropertyValue(camel, out value) ? new KeyValuePair<string, JsonNode?>(camel, value) : null;
    }

    internal static string Camel(string snake) =>
        string.Concat(snake.Split('_').Select((part, i) => i == 0 || part.Length == 0 ? part : char.ToUpperInvariant(part[0]) + part[1..]));

    internal static string Snake(string key) =>
        !key.AsSpan().ContainsAnyInRange('A', 'Z') ? key : string.Concat(key.Select(c => char.IsAsciiLetterUpper(c) ? "_" + char.ToLowerInvariant(c) : c.ToString()));
}
