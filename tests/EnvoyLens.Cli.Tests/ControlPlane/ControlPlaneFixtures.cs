using System.Reflection;
using System.Text.Json.Nodes;
using EnvoyLens.TestKit;
using Envoy.Admin.V3;
using Envoy.Service.Discovery.V3;
using Envoy.Service.Status.V3;
using Google.Protobuf;
using Google.Protobuf.Reflection;
using Google.Protobuf.WellKnownTypes;
using CoreV3 = Envoy.Config.Core.V3;

namespace EnvoyLens.Cli.Tests.ControlPlane;

/// <summary>
/// What the fake control plane answers, authored from fixtures/snapshots/reviews: three proxies — the reviews proxy
/// of the sample (all SYNCED, with its resources), a ratings proxy whose LDS is STALE, and a productpage proxy whose LDS
/// update was NACKed — as CSDS <c>ClientStatusResponse</c>s and as Istio's debug <c>DiscoveryResponse</c>s. The
/// control plane's config of the reviews proxy differs from the sample on purpose in three resources:
/// <see cref="ChangedCluster"/> (another connect timeout), <see cref="MissingRoute"/> (not sent) and
/// <see cref="ExtraCluster"/> (only on the control plane).
/// </summary>
internal static class ControlPlaneFixtures
{
    public const string ReviewsNode = "sidecar~10.244.1.15~reviews-v1-6c8d7b9f4-x2x7q.default~default.svc.cluster.local";
    public const string RatingsNode = "sidecar~10.244.0.12~ratings-v1-5f9699cfdf-k8s2p.default~default.svc.cluster.local";
    public const string ProductpageNode = "sidecar~10.244.2.7~productpage-v1-7d6cfb7dfd-9lz4w.bookinfo~bookinfo.svc.cluster.local";
    public const string ChangedCluster = "outbound|9080||ratings.default.svc.cluster.local";
    public const string MissingRoute = "details.default.svc.cluster.local:9080";
    public const string ExtraCluster = "outbound|9080||payments.default.svc.cluster.local";
    public const string Nack = "Error adding/updating listener(s) 0.0.0.0_9080: duplicate listener 0.0.0.0_9080 found";
    public const string IstiodId = "istiod-7d9c8f6b5-abcde";

    private const string Placeholder = "type.googleapis.com/google.protobuf.StringValue";

    private static readonly TypeRegistry Registry = TypeRegistry.FromFiles(
        typeof(ClientConfig).Assembly.GetTypes()
            .Select(t => t.GetProperty("Descriptor", BindingFlags.Public | BindingFlags.Static))
            .Where(p => p?.PropertyType == typeof(FileDescriptor))
            .Select(p => (FileDescriptor)p!.GetValue(null)!)
            .Append(WrappersReflection.Descriptor)
            .ToArray());

    private static readonly JsonParser Parser = new(JsonParser.Settings.Default.WithTypeRegistry(Registry).WithIgnoreUnknownFields(true));

    /// <summary>The sample's config dump with the three changes the control plane's view has.</summary>
    public static JsonObject ControlPlaneDump()
    {
        var dump = JsonNode.Parse(File.ReadAllText(TestPaths.Fixture("snapshots", "reviews", "config_dump.json")))!.AsObject();
        var configs = dump["configs"]!.AsArray();
        var clusters = Section(configs, "ClustersConfigDump")["dynamic_active_clusters"]!.AsArray();
        var changed = clusters.Select(c => c!["cluster"]!).Single(c => (string?)c["name"] == ChangedCluster);
        changed["connect_timeout"] = "5s";
        var extra = clusters.Select(c => c!).First(c => (string?)c["cluster"]!["name"] == ChangedCluster).DeepClone();
        extra["cluster"]!["name"] = ExtraCluster;
        extra["cluster"]!["eds_cluster_config"]!["service_name"] = ExtraCluster;
        clusters.Add(extra);
        var routes = Section(configs, "RoutesConfigDump")["dynamic_route_configs"]!.AsArray();
        routes.Remove(routes.Single(r => (string?)r!["route_config"]!["name"] == MissingRoute));
        return dump;
    }

    private static JsonObject Section(JsonArray configs, string type) =>
        configs.Select(c => c!.AsObject()).Single(c => ((string)c["@type"]!).EndsWith("." + type, StringComparison.Ordinal));

    /// <summary>The reviews proxy's node, from the sample's bootstrap.</summary>
    private static CoreV3.Node ReviewsNodeMessage()
    {
        var dump = JsonNode.Parse(File.ReadAllText(TestPaths.Fixture("snapshots", "reviews", "config_dump.json")))!.AsObject();
        var node = Section(dump["configs"]!.AsArray(), "BootstrapConfigDump")["bootstrap"]!["node"]!;
        return (CoreV3.Node)Parse(node, CoreV3.Node.Descriptor);
    }

    private static CoreV3.Node Node(string id, string pod, string ns) => new()
    {
        Id = id,
        Cluster = pod.Split('-')[0] + "." + ns,
        Metadata = new Struct
        {
            Fields =
            {
                ["NAME"] = Value.ForString(pod),
                ["NAMESPACE"] = Value.ForString(ns),
                ["CLUSTER_ID"] = Value.ForString("Kubernetes"),
                ["ISTIO_VERSION"] = Value.ForString("1.24.0"),
            },
        },
    };

    /// <summary>The three proxies' status; the reviews proxy with its resources unless <paramref name="withResources"/> is false.</summary>
    public static IReadOnlyList<ClientConfig> Proxies(bool withResources = true)
    {
        var reviews = new ClientConfig { Node = ReviewsNodeMessage() };
        var dump = ControlPlaneDump();
        var configs = dump["configs"]!.AsArray();
        void Add(string type, string section, Func<JsonNode, (string Name, string? Version, JsonNode Resource)> pick)
        {
            foreach (var entry in Section(configs, section)[type]!.AsArray())
            {
                var (name, version, resource) = pick(entry!);
                var any = (Any)Parse(resource, Any.Descriptor);
                reviews.GenericXdsConfigs.Add(new ClientConfig.Types.GenericXdsConfig
                {
                    TypeUrl = any.TypeUrl,
                    Name = name,
                    VersionInfo = version ?? string.Empty,
                    XdsConfig = withResources ? any : null,
                    ConfigStatus = ConfigStatus.Synced,
                    ClientStatus = ClientResourceStatus.Acked,
                });
            }
        }

        Add("dynamic_active_clusters", "ClustersConfigDump", e => ((string)e["cluster"]!["name"]!, (string?)e["version_info"], e["cluster"]!));
        Add("dynamic_listeners", "ListenersConfigDump", e => ((string)e["name"]!, (string?)e["active_state"]!["version_info"], e["active_state"]!["listener"]!));
        Add("dynamic_route_configs", "RoutesConfigDump", e => ((string)e["route_config"]!["name"]!, (string?)e["version_info"], e["route_config"]!));
        Add("dynamic_endpoint_configs", "EndpointsConfigDump", e => ((string)e["endpoint_config"]!["cluster_name"]!, (string?)e["version_info"], e["endpoint_config"]!));

        var ratings = new ClientConfig { Node = Node(RatingsNode, "ratings-v1-5f9699cfdf-k8s2p", "default") };
        AddTypes(ratings, "2026-12-07T10:00:00Z/41", ConfigStatus.Stale);
        var productpage = new ClientConfig { Node = Node(ProductpageNode, "productpage-v1-7d6cfb7dfd-9lz4w", "bookinfo") };
        AddTypes(productpage, "2026-12-07T10:00:00Z/41", ConfigStatus.Error);
        return [productpage, ratings, reviews];
    }

    /// <summary>One entry per type (as istiod's syncz reports), SYNCED except LDS, which is <paramref name="lds"/> (a NACK for ERROR).</summary>
    private static void AddTypes(ClientConfig config, string version, ConfigStatus lds)
    {
        string[] types = ["envoy.config.cluster.v3.Cluster", "envoy.config.listener.v3.Listener", "envoy.config.endpoint.v3.ClusterLoadAssignment", "envoy.config.route.v3.RouteConfiguration"];
        foreach (var type in types)
        {
            var isLds = type.EndsWith("Listener", StringComparison.Ordinal);
            var entry = new ClientConfig.Types.GenericXdsConfig
            {
                TypeUrl = "type.googleapis.com/" + type,
                VersionInfo = version,
                ConfigStatus = isLds ? lds : ConfigStatus.Synced,
            };
            if (isLds && lds == ConfigStatus.Error)
            {
                entry.Name = "0.0.0.0_9080";
                entry.ClientStatus = ClientResourceStatus.Nacked;
                entry.ErrorState = new UpdateFailureState { Details = Nack, VersionInfo = version };
            }

            config.GenericXdsConfigs.Add(entry);
        }
    }

    /// <summary>A CSDS answer: every proxy, or the one whose node id a request's matcher names.</summary>
    public static byte[] ClientStatus(byte[] request)
    {
        var matchers = ClientStatusRequest.Parser.ParseFrom(request).NodeMatchers.Select(m => m.NodeId.Exact).ToList();
        var response = new ClientStatusResponse();
        response.Config.AddRange(Proxies().Where(p => matchers.Count == 0 || matchers.Contains(p.Node.Id)));
        return response.ToByteArray();
    }

    /// <summary>Istio's debug xDS: syncz (every proxy, exclude contents) or config_dump (of the proxy named POD.NAMESPACE).</summary>
    public static byte[] IstioDebug(byte[] request)
    {
        var discovery = DiscoveryRequest.Parser.ParseFrom(request);
        var response = new DiscoveryResponse
        {
            TypeUrl = discovery.TypeUrl,
            ControlPlane = new CoreV3.ControlPlane { Identifier = "{\"Component\":\"istiod\",\"ID\":\"" + IstiodId + "\",\"Info\":{\"version\":\"1.24.0\"}}" },
        };
        if (discovery.TypeUrl == "istio.io/debug/syncz")
        {
            response.Resources.AddRange(Proxies(withResources: false).Select(Any.Pack));
        }
        else if (discovery.TypeUrl == "istio.io/debug/config_dump" && discovery.ResourceNames.SequenceEqual(["reviews-v1-6c8d7b9f4-x2x7q.default"]))
        {
            response.Resources.Add(Any.Pack((ConfigDump)Parse(ControlPlaneDump(), ConfigDump.Descriptor)));
        }

        return response.ToByteArray();
    }

    /// <summary>
    /// Parses proto3 JSON with the generated types. Payloads of types the Envoy API does not have (Istio's own filters)
    /// are kept as an Any of their type URL and no bytes, as closely as JSON allows to what a control plane would send.
    /// </summary>
    private static IMessage Parse(JsonNode json, MessageDescriptor type)
    {
        var copy = json.DeepClone();
        Hide(copy);
        var message = Parser.Parse(copy.ToJsonString(), type);
        Restore(message);
        return message;
    }

    private static void Hide(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject o:
                foreach (var (key, value) in o.ToList())
                {
                    if (value is JsonObject inner && inner["@type"] is JsonValue t && Registry.Find(((string)t!)[((string)t!).LastIndexOf('/')..].TrimStart('/')) is null)
                    {
                        o[key] = new JsonObject { ["@type"] = Placeholder, ["value"] = (string)t! };
                    }
                    else
                    {
                        Hide(value);
                    }
                }

                break;
            case JsonArray a:
                for (var i = 0; i < a.Count; i++)
                {
                    if (a[i] is JsonObject inner && inner["@type"] is JsonValue t && Registry.Find(((string)t!)[((string)t!).LastIndexOf('/')..].TrimStart('/')) is null)
                    {
                        a[i] = new JsonObject { ["@type"] = Placeholder, ["value"] = (string)t! };
                    }
                    else
                    {
                        Hide(a[i]);
                    }
                }

                break;
        }
    }

    private static void Restore(IMessage message)
    {
        if (message is Any any)
        {
            if (any.TypeUrl == Placeholder)
            {
                any.TypeUrl = any.Unpack<StringValue>().Value;
                any.Value = ByteString.Empty;
                return;
            }

            if (Registry.Find(Any.GetTypeName(any.TypeUrl)) is { } descriptor)
            {
                var inner = descriptor.Parser.ParseFrom(any.Value);
                Restore(inner);
                any.Value = inner.ToByteString();
            }

            return;
        }

        foreach (var field in message.Descriptor.Fields.InDeclarationOrder().Where(f => f.FieldType == FieldType.Message))
        {
            var value = field.Accessor.GetValue(message);
            switch (value)
            {
                case System.Collections.IDictionary map:
                    foreach (var v in map.Values)
                    {
                        if (v is IMessage m)
                        {
                            Restore(m);
                        }
                    }

                    break;
                case System.Collections.IList list:
                    foreach (var v in list)
                    {
                        Restore((IMessage)v);
                    }

                    break;
                case IMessage m:
                    Restore(m);
                    break;
            }
        }
    }
}
