using System.Text;
using System.Text.Json;
using EnvoyLens.Core;
using EnvoyLens.Decoding.Canonical;
using EnvoyLens.Model;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using AdminV3 = Envoy.Admin.V3;
using CoreV3 = Envoy.Config.Core.V3;
using DiscoveryV3 = Envoy.Service.Discovery.V3;
using StatusV3 = Envoy.Service.Status.V3;

namespace EnvoyLens.Decoding.ControlPlane;

/// <summary>
/// Reads what a control plane answered (<see cref="ControlPlaneMessage"/>: a CSDS <c>ClientStatusResponse</c>, or an
/// ADS <c>DiscoveryResponse</c> of Istio's debug types) into the proto-free model: per proxy its node, and per xDS type
/// its state, version and NACKs (<see cref="Status"/>); or one proxy's resources as a config dump that the decoder and
/// <c>diff</c> read like a capture (<see cref="Config"/>).
/// </summary>
public static class ControlPlaneDecoder
{
    private const string TypePrefix = "type.googleapis.com/";

    /// <summary>Every proxy of the answer, sorted by name then node id.</summary>
    public static ControlPlaneStatus Status(ControlPlaneMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        var (configs, controlPlane) = ClientConfigs(message);
        var proxies = configs
            .Select(c => Proxy(c, controlPlane ?? message.Source))
            .OrderBy(p => p.Name, StringComparer.Ordinal)
            .ThenBy(p => p.NodeId, StringComparer.Ordinal)
            .ToList();
        return new ControlPlaneStatus(message.Source, message.ApiName, proxies);
    }

    /// <summary>
    /// The config the control plane holds for the proxy <paramref name="nodeId"/> (a node id, or <c>POD.NAMESPACE</c>), as
    /// a capture whose only document is a config dump (JSON) named <paramref name="origin"/>.
    /// </summary>
    public static RawSnapshot Config(ControlPlaneMessage message, string nodeId, string origin)
    {
        ArgumentNullException.ThrowIfNull(message);
        ArgumentNullException.ThrowIfNull(nodeId);
        AdminV3.ConfigDump dump;
        if (message.Api == ControlPlaneApi.IstioConfigDump)
        {
            var response = Parse(DiscoveryV3.DiscoveryResponse.Parser, message);
            var any = response.Resources.FirstOrDefault(r => r.TypeUrl.EndsWith("/" + AdminV3.ConfigDump.Descriptor.FullName, StringComparison.Ordinal))
                ?? throw new EnvoyLensException($"the control plane at {message.Source} has no config for the proxy '{nodeId}' ({message.ApiName} answered {Count(response.Resources.Count, "resource")} and no config dump).");
            dump = Parse(AdminV3.ConfigDump.Parser, any.Value, message);
        }
        else
        {
            var (configs, _) = ClientConfigs(message);
            var match = configs.Where(c => c.Node?.Id == nodeId).ToList();
            if (match.Count == 0)
            {
                match = configs.Where(c => NameOf(c.Node) == nodeId).ToList();
            }

            if (match.Count == 0)
            {
                var known = configs.Select(c => c.Node?.Id ?? string.Empty).Order(StringComparer.Ordinal).Take(5).ToList();
                throw new EnvoyLensException(
                    $"the control plane at {message.Source} reports no proxy with node id '{nodeId}'" +
                    (known.Count == 0 ? " (it reports none)." : $" (it reports {string.Join(", ", known.Select(k => "'" + k + "'"))}{(configs.Count > known.Count ? ", ..." : string.Empty)})."));
            }

            dump = DumpOf(match[0]);
        }

        var json = new CanonicalJson(SnapshotDecoder.Resolver, null) { MarkUnread = true }.Message(dump, string.Empty);
        var bytes = Encoding.UTF8.GetBytes(json.ToJsonString());
        return new RawSnapshot(origin, [new RawDocument(AdminEndpoint.ConfigDump, origin, bytes)]);
    }

    private static (IReadOnlyList<StatusV3.ClientConfig> Configs, string? ControlPlane) ClientConfigs(ControlPlaneMessage message)
    {
        switch (message.Api)
        {
            case ControlPlaneApi.CsdsFetch or ControlPlaneApi.CsdsStream:
                return (Parse(StatusV3.ClientStatusResponse.Parser, message).Config, null);
            case ControlPlaneApi.IstioSyncz:
                var response = Parse(DiscoveryV3.DiscoveryResponse.Parser, message);
                var configs = response.Resources
                    .Where(r => r.TypeUrl.EndsWith("/" + StatusV3.ClientConfig.Descriptor.FullName, StringComparison.Ordinal))
                    .Select(r => Parse(StatusV3.ClientConfig.Parser, r.Value, message))
                    .ToList();
                return (configs, ControlPlaneId(response.ControlPlane?.Identifier));
            default:
                throw new EnvoyLensException($"{message.ApiName} of {message.Source} holds one proxy's config, not the status of proxies.");
        }
    }

    /// <summary>istiod's identifier is JSON (<c>{"Component":"istiod","ID":"istiod-5d4c...",...}</c>): its ID; anything else as it is.</summary>
    private static string? ControlPlaneId(string? identifier)
    {
        if (string.IsNullOrEmpty(identifier))
        {
            return null;
        }

        try
        {
            using var document = JsonDocument.Parse(identifier);
            if (document.RootElement.ValueKind == JsonValueKind.Object && document.RootElement.TryGetProperty("ID", out var id) && id.ValueKind == JsonValueKind.String)
            {
                return id.GetString();
            }
        }
        catch (JsonException)
        {
            // Not JSON: the identifier is the name.
        }

        return identifier;
    }

    private static ProxySyncStatus Proxy(StatusV3.ClientConfig config, string controlPlane)
    {
        var node = config.Node;
        var id = node?.Id ?? string.Empty;
        var istio = IstioNodeId.TryParse(id);
        var ns = Metadata(node, "NAMESPACE") ?? istio?.Namespace;
        var version = Metadata(node, "ISTIO_VERSION")
            ?? (node?.UserAgentBuildVersion?.Version is { } v ? $"{v.MajorNumber}.{v.MinorNumber}.{v.Patch}" : null)
            ?? (string.IsNullOrEmpty(node?.UserAgentVersion) ? null : node!.UserAgentVersion);
        var cluster = Metadata(node, "CLUSTER_ID") ?? (string.IsNullOrEmpty(node?.Cluster) ? null : node!.Cluster);

        var entries = new List<(XdsType Type, SyncState State, string? Version, XdsError? Error)>();
        foreach (var generic in config.GenericXdsConfigs)
        {
            if (TypeOf(generic.TypeUrl) is not { } type)
            {
                continue;
            }

            var state = generic.ConfigStatus != StatusV3.ConfigStatus.Unknown ? StateOf(generic.ConfigStatus) : StateOf(generic.ClientStatus);
            XdsError? error = null;
            if (generic.ErrorState is { } failure)
            {
                state = SyncState.Error;
                error = new XdsError(generic.Name, failure.Details, string.IsNullOrEmpty(failure.VersionInfo) ? null : failure.VersionInfo);
            }

            entries.Add((type, state, string.IsNullOrEmpty(generic.VersionInfo) ? null : generic.VersionInfo, error));
        }

#pragma warning disable CS0612 // xds_config: the pre-generic form, still sent by older control planes.
        foreach (var legacy in config.XdsConfig)
        {
            XdsType? type = legacy.PerXdsConfigCase switch
            {
                StatusV3.PerXdsConfig.PerXdsConfigOneofCase.ListenerConfig => XdsType.Lds,
                StatusV3.PerXdsConfig.PerXdsConfigOneofCase.ClusterConfig => XdsType.Cds,
                StatusV3.PerXdsConfig.PerXdsConfigOneofCase.RouteConfig => XdsType.Rds,
                StatusV3.PerXdsConfig.PerXdsConfigOneofCase.EndpointConfig => XdsType.Eds,
                _ => null,
            };
            if (type is { } t)
            {
                entries.Add((t, legacy.Status != StatusV3.ConfigStatus.Unknown ? StateOf(legacy.Status) : StateOf(legacy.ClientStatus), null, null));
            }
        }
#pragma warning restore CS0612

        var types = System.Enum.GetValues<XdsType>().Select(type =>
        {
            var of = entries.Where(e => e.Type == type).ToList();
            var state = of.Count == 0 ? SyncState.NotSent
                : of.Any(e => e.State == SyncState.Error) ? SyncState.Error
                : of.Any(e => e.State == SyncState.Stale) ? SyncState.Stale
                : of.Any(e => e.State == SyncState.Synced) ? SyncState.Synced
                : of.Any(e => e.State == SyncState.NotSent) ? SyncState.NotSent
                : SyncState.Unknown;
            var errors = of.Where(e => e.Error is not null).Select(e => e.Error!)
                .OrderBy(e => e.Resource, StringComparer.Ordinal).ToList();
            return new XdsTypeStatus(type, state, of.Select(e => e.Version).FirstOrDefault(v => v is not null), errors);
        }).ToList();

        return new ProxySyncStatus(id, NameOf(node), ns, cluster, controlPlane, version, types);
    }

    /// <summary><c>POD.NAMESPACE</c> of an Istio node id, else from the NAME and NAMESPACE metadata, else the node id.</summary>
    private static string NameOf(CoreV3.Node? node)
    {
        var id = node?.Id ?? string.Empty;
        if (IstioNodeId.TryParse(id) is { } istio)
        {
            return istio.PodName + "." + istio.Namespace;
        }

        return Metadata(node, "NAME") is { } name && Metadata(node, "NAMESPACE") is { } ns ? name + "." + ns : id;
    }

    private static string? Metadata(CoreV3.Node? node, string key) =>
        node?.Metadata?.Fields.TryGetValue(key, out var value) == true && value.KindCase == Value.KindOneofCase.StringValue && value.StringValue.Length > 0
            ? value.StringValue
            : null;

    private static XdsType? TypeOf(string typeUrl)
    {
        var name = typeUrl[(typeUrl.LastIndexOf('/') + 1)..];
        return name switch
        {
            "envoy.config.cluster.v3.Cluster" => XdsType.Cds,
            "envoy.config.listener.v3.Listener" => XdsType.Lds,
            "envoy.config.endpoint.v3.ClusterLoadAssignment" => XdsType.Eds,
            "envoy.config.route.v3.RouteConfiguration" => XdsType.Rds,
            "envoy.config.core.v3.TypedExtensionConfig" => XdsType.Ecds,
            _ => null,
        };
    }

    private static SyncState StateOf(StatusV3.ConfigStatus status) => status switch
    {
        StatusV3.ConfigStatus.Synced => SyncState.Synced,
        StatusV3.ConfigStatus.NotSent => SyncState.NotSent,
        StatusV3.ConfigStatus.Stale => SyncState.Stale,
        StatusV3.ConfigStatus.Error => SyncState.Error,
        _ => SyncState.Unknown,
    };

    private static SyncState StateOf(AdminV3.ClientResourceStatus status) => status switch
    {
        AdminV3.ClientResourceStatus.Acked => SyncState.Synced,
        AdminV3.ClientResourceStatus.Nacked => SyncState.Error,
        AdminV3.ClientResourceStatus.Requested => SyncState.Stale,
        AdminV3.ClientResourceStatus.DoesNotExist => SyncState.NotSent,
        _ => SyncState.Unknown,
    };

    private static SyncState StateOf(StatusV3.ClientConfigStatus status) => status switch
    {
        StatusV3.ClientConfigStatus.ClientAcked => SyncState.Synced,
        StatusV3.ClientConfigStatus.ClientNacked => SyncState.Error,
        StatusV3.ClientConfigStatus.ClientRequested => SyncState.Stale,
        _ => SyncState.Unknown,
    };

    /// <summary>A config dump of one proxy's resources: one dynamic section per xDS type present, in the order Envoy writes them.</summary>
    private static AdminV3.ConfigDump DumpOf(StatusV3.ClientConfig config)
    {
        var clusters = new AdminV3.ClustersConfigDump();
        var listeners = new AdminV3.ListenersConfigDump();
        var routes = new AdminV3.RoutesConfigDump();
        var endpoints = new AdminV3.EndpointsConfigDump();
        var ecds = new AdminV3.EcdsConfigDump();
        var dump = new AdminV3.ConfigDump();
        foreach (var generic in config.GenericXdsConfigs.Where(g => g.XdsConfig is not null))
        {
            var resource = generic.XdsConfig;
            var version = generic.VersionInfo;
            switch (TypeOf(generic.TypeUrl))
            {
                case XdsType.Cds:
                    clusters.DynamicActiveClusters.Add(new AdminV3.ClustersConfigDump.Types.DynamicCluster { VersionInfo = version, Cluster = resource, LastUpdated = generic.LastUpdated });
                    break;
                case XdsType.Lds:
                    listeners.DynamicListeners.Add(new AdminV3.ListenersConfigDump.Types.DynamicListener
                    {
                        Name = generic.Name,
                        ActiveState = new AdminV3.ListenersConfigDump.Types.DynamicListenerState { VersionInfo = version, Listener = resource, LastUpdated = generic.LastUpdated },
                    });
                    break;
                case XdsType.Rds:
                    routes.DynamicRouteConfigs.Add(new AdminV3.RoutesConfigDump.Types.DynamicRouteConfig { VersionInfo = version, RouteConfig = resource, LastUpdated = generic.LastUpdated });
                    break;
                case XdsType.Eds:
                    endpoints.DynamicEndpointConfigs.Add(new AdminV3.EndpointsConfigDump.Types.DynamicEndpointConfig { VersionInfo = version, EndpointConfig = resource, LastUpdated = generic.LastUpdated });
                    break;
                case XdsType.Ecds:
                    ecds.EcdsFilters.Add(new AdminV3.EcdsConfigDump.Types.EcdsFilterConfig { VersionInfo = version, EcdsFilter = resource, LastUpdated = generic.LastUpdated });
                    break;
            }
        }

#pragma warning disable CS0612 // xds_config: the pre-generic form holds whole per-type dumps.
        foreach (var legacy in config.XdsConfig)
        {
            IMessage? section = legacy.PerXdsConfigCase switch
            {
                StatusV3.PerXdsConfig.PerXdsConfigOneofCase.ListenerConfig => legacy.ListenerConfig,
                StatusV3.PerXdsConfig.PerXdsConfigOneofCase.ClusterConfig => legacy.ClusterConfig,
                StatusV3.PerXdsConfig.PerXdsConfigOneofCase.RouteConfig => legacy.RouteConfig,
                StatusV3.PerXdsConfig.PerXdsConfigOneofCase.ScopedRouteConfig => legacy.ScopedRouteConfig,
                StatusV3.PerXdsConfig.PerXdsConfigOneofCase.EndpointConfig => legacy.EndpointConfig,
                _ => null,
            };
            if (section is not null)
            {
                dump.Configs.Add(Any.Pack(section));
            }
        }
#pragma warning restore CS0612

        IMessage[] sections = [clusters, listeners, routes, endpoints, ecds];
        foreach (var section in sections.Where(s => s.CalculateSize() > 0))
        {
            dump.Configs.Add(Any.Pack(section));
        }

        return dump;
    }

    private static T Parse<T>(MessageParser<T> parser, ControlPlaneMessage message)
        where T : IMessage<T> => Parse(parser, ByteString.CopyFrom(message.Content), message);

    private static T Parse<T>(MessageParser<T> parser, ByteString bytes, ControlPlaneMessage message)
        where T : IMessage<T>
    {
        try
        {
            return parser.ParseFrom(bytes);
        }
        catch (InvalidProtocolBufferException e)
        {
            throw new EnvoyLensException($"the answer of {message.ApiName} from {message.Source} is not a valid {typeof(T).Name} message ({e.Message.TrimEnd('.')}).", e);
        }
    }

    private static string Count(int n, string noun) => n.ToString(System.Globalization.CultureInfo.InvariantCulture) + " " + noun + (n == 1 ? string.Empty : "s");
}
