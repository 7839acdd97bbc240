using EnvoyLens.Core;

namespace EnvoyLens.Admin.Live;

/// <summary>One admin request of a capture and the bundle file its body goes to.</summary>
public sealed record CaptureItem(AdminEndpoint Endpoint, string PathAndQuery, string FileName)
{
    /// <summary>A request of <paramref name="endpoint"/>'s path with <paramref name="query"/>, stored under its bundle file name.</summary>
    public static CaptureItem For(AdminEndpoint endpoint, params (string Key, string? Value)[] query)
    {
        var info = AdminEndpoints.Of(endpoint);
        return new(endpoint, AdminAllowlist.Build(info.Path, query), info.FileName);
    }
}

/// <summary>
/// The admin requests one job needs. <see cref="Full"/> is what a snapshot bundle holds; the others ask Envoy only
/// for the part of the config dump a view shows (<c>mask</c>), so a large mesh is not dumped to list its clusters.
/// </summary>
public sealed record CapturePlan(IReadOnlyList<CaptureItem> Items)
{
    private static readonly CaptureItem ServerInfo = CaptureItem.For(AdminEndpoint.ServerInfo);
    private static readonly CaptureItem Clusters = CaptureItem.For(AdminEndpoint.Clusters, ("format", "json"));

    /// <summary>Everything a snapshot bundle holds: server info, the whole config dump with EDS, /clusters, /listeners, /certs, stats, init targets, readiness.</summary>
    public static CapturePlan Full { get; } = new(
    [
        ServerInfo,
        CaptureItem.For(AdminEndpoint.ConfigDump, ("include_eds", null)),
        Clusters,
        CaptureItem.For(AdminEndpoint.Listeners, ("format", "json")),
        CaptureItem.For(AdminEndpoint.Certs),
        CaptureItem.For(AdminEndpoint.Stats, ("format", "json")),
        CaptureItem.For(AdminEndpoint.InitDump),
        CaptureItem.For(AdminEndpoint.Ready),
    ]);

    /// <summary>Everything a snapshot of a linkerd2-proxy holds: /metrics, /ready and /live.</summary>
    public static CapturePlan Linkerd { get; } = new(
    [
        CaptureItem.For(AdminEndpoint.LinkerdMetrics),
        CaptureItem.For(AdminEndpoint.Ready),
        CaptureItem.For(AdminEndpoint.Live),
    ]);

    /// <summary>What a snapshot of <paramref name="proxy"/> holds: <see cref="Full"/> for Envoy, <see cref="Linkerd"/> for linkerd2-proxy.</summary>
    public static CapturePlan FullFor(ProxyKind proxy) => proxy == ProxyKind.Linkerd2Proxy ? Linkerd : Full;

    /// <summary>The request of a second sample of counters (<c>snapshot --interval</c>): <c>/stats</c> for Envoy, <c>/metrics</c> for linkerd2-proxy.</summary>
    public static CapturePlan SecondSample(ProxyKind proxy) => proxy == ProxyKind.Linkerd2Proxy
        ? new([new CaptureItem(AdminEndpoint.LinkerdMetrics, "/metrics", "metrics.2.txt")])
        : new([new CaptureItem(AdminEndpoint.Stats, "/stats?format=json", "stats.2.json")]);

    /// <summary>Only these top-level fields of the config dump (one config type's fields: Envoy skips configs a mask does not fit), plus <paramref name="extra"/>.</summary>
    public static CapturePlan ConfigMask(IEnumerable<string> fields, params CaptureItem[] extra) =>
        new([CaptureItem.For(AdminEndpoint.ConfigDump, ("mask", string.Join(',', fields))), .. extra]);

    /// <summary>Active and warming clusters.</summary>
    public static CapturePlan ClustersOnly { get; } = ConfigMask(["static_clusters", "dynamic_active_clusters", "dynamic_warming_clusters"]);

    /// <summary>Static and dynamic listeners.</summary>
    public static CapturePlan ListenersOnly { get; } = ConfigMask(["static_listeners", "dynamic_listeners"]);

    /// <summary>Static and dynamic route configurations.</summary>
    public static CapturePlan RoutesOnly { get; } = ConfigMask(["static_route_configs", "dynamic_route_configs"]);

    /// <summary>Static, active and warming secrets.</summary>
    public static CapturePlan SecretsOnly { get; } = ConfigMask(["static_secrets", "dynamic_active_secrets", "dynamic_warming_secrets"]);

    /// <summary>ECDS filter configs.</summary>
    public static CapturePlan EcdsOnly { get; } = ConfigMask(["ecds_filters"]);

    /// <summary>The bootstrap and /server_info.</summary>
    public static CapturePlan BootstrapOnly { get; } = ConfigMask(["bootstrap"], ServerInfo);

    /// <summary>Clusters and endpoints (the whole dump with EDS: their fields live in two config types) and /clusters.</summary>
    public static CapturePlan EndpointsOnly { get; } = new([CaptureItem.For(AdminEndpoint.ConfigDump, ("include_eds", null)), Clusters]);
}
