using System.Text.Json;
using EnvoyLens.Core;
using EnvoyLens.Model;

namespace EnvoyLens.Reporting.Tests;

/// <summary>Small builders for model objects, so each test states only what it is about.</summary>
internal static class TestModel
{
    public static ResourceMeta Meta(ResourceKind kind, string name, ResourceOrigin origin = ResourceOrigin.Dynamic, ResourceState state = ResourceState.Active) =>
        new(kind, name, origin, state, null, null, JsonPointer.Root);

    public static MetadataMap IstioConfig(string path) =>
        new(new Dictionary<string, JsonElement> { ["istio"] = JsonDocument.Parse(JsonSerializer.Serialize(new { config = path })).RootElement.Clone() });

    public static EnvoySnapshot Snapshot(
        IReadOnlyList<Listener>? listeners = null,
        IReadOnlyList<RouteConfig>? routes = null,
        IReadOnlyList<Cluster>? clusters = null,
        IReadOnlyList<ClusterLoadAssignment>? loadAssignments = null,
        IReadOnlyList<Secret>? secrets = null,
        IReadOnlyList<EcdsConfig>? ecds = null,
        IReadOnlyList<ClusterStatus>? clusterStatuses = null,
        BootstrapInfo? bootstrap = null,
        ServerInfo? serverInfo = null) =>
        new("test", ["test"], bootstrap, serverInfo, listeners ?? [], routes ?? [], clusters ?? [], loadAssignments ?? [], secrets ?? [], ecds ?? [],
            clusterStatuses ?? [], [], [], [], null, [], []);

    public static RouteMatch Prefix(string prefix) => new(PathMatchKind.Prefix, prefix, true, [], [], false);

    public static Route Route(RouteMatch match, string? cluster = "c", MetadataMap? metadata = null) =>
        new(null, match, RouteActionKind.Cluster, cluster, [], null, null, null, null, null, null, metadata ?? MetadataMap.Empty, JsonPointer.Root);

    public static VirtualHost VirtualHost(string name, IReadOnlyList<string> domains, params Route[] routes) =>
        new(name, domains, routes, JsonPointer.Root, MetadataMap.Empty);

    public static RouteConfig RouteConfig(string name, ResourceOrigin origin, params VirtualHost[] vhosts) =>
        new(Meta(ResourceKind.RouteConfig, name, origin), vhosts, null);

    public static Cluster Cluster(string name, string type = "EDS", ResourceState state = ResourceState.Active, MetadataMap? metadata = null, IReadOnlyList<Endpoint>? inline = null) =>
        new(Meta(ResourceKind.Cluster, name, ResourceOrigin.Dynamic, state), type, null, null, null, null, null, [], [], null, 0, [], inline ?? [], metadata ?? MetadataMap.Empty);

    public static Endpoint Endpoint(string cluster, string address, int? port, string health = "HEALTHY", bool? outlier = null, Locality? locality = null, EndpointSource source = EndpointSource.Eds) =>
        new(cluster, new SocketAddress(address, port), health, outlier, null, locality, null, 0, null, source, JsonPointer.Root);

    public static NetworkFilter Hcm(string? rds = null, RouteConfig? inline = null) =>
        new(new TypedExtension("envoy.filters.network.http_connection_manager", null, true, JsonPointer.Root),
            new HttpConnectionManager(null, rds, inline, null, [], JsonPointer.Root), null);

    public static NetworkFilter TcpProxy(string cluster) =>
        new(new TypedExtension("envoy.filters.network.tcp_proxy", null, true, JsonPointer.Root), null, new TcpProxy(null, cluster, [], JsonPointer.Root));

    public static FilterChainMatch ChainMatch(int? port = null, IReadOnlyList<string>? prefixes = null, IReadOnlyList<string>? sni = null, string? transport = null, IReadOnlyList<string>? alpn = null) =>
        new(port, prefixes ?? [], sni ?? [], transport, alpn ?? [], [], [], [], null);

    public static FilterChain Chain(FilterChainMatch match, params NetworkFilter[] filters) => new(null, match, filters, null, null, JsonPointer.Root);

    public static Listener Listener(string name, string address, int port, IReadOnlyList<FilterChain> chains, FilterChain? defaultChain = null, ResourceState state = ResourceState.Active, IReadOnlyList<SocketAddress>? additional = null) =>
        new(Meta(ResourceKind.Listener, name, ResourceOrigin.Dynamic, state), new SocketAddress(address, port), additional ?? [], null, false, null, [], chains, defaultChain, MetadataMap.Empty);
}
