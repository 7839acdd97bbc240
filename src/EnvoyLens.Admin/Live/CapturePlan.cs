using EnvoyLens.Core;

namespace EnvoyLens.Admin.Live;

/// <summary>One admin request of a capture and the bundle file its body goes to.</summary>
public sealed record CaptureItem(AdminEndpoint Endpoint, string PathAndQuery, string FileName);

/// <summary>
/// The admin requests one job needs. <see cref="Full"/> is what a snapshot bundle holds; the others ask Envoy only
/// for the part of the config dump a view shows (<c>mask</c>), so a large mesh is not dumped to list its clusters.
/// </summary>
public sealed record CapturePlan(IReadOnlyList<CaptureItem> Items)
{
    private static readonly CaptureItem ServerInfo = new(AdminEndpoint.ServerInfo, "/server_info", "server_info.json");
    private static readonly CaptureItem Clusters = new(AdminEndpoint.Clusters, "/clusters?format=json", "clusters.json");

    /// <summary>Everything a snapshot bundle holds: server info, the whole config dump with EDS, /clusters, /listeners, /certs, stats, init targets, readiness.</summary>
    public static CapturePlan Full { get; } = new(
    [
        ServerInfo,
        new(AdminEndpoint.ConfigDump, "/config_dump?include_eds", "config_dump.json"),
        Clusters,
        new(AdminEndpoint.Listeners, "/listeners?format=json", "listeners.json"),
        new(AdminEndpoint.Certs, "/certs", "certs.json"),
        new(AdminEndpoint.Stats, "/stats?format=json", "stats.json"),
        new(AdminEndpoint.InitDump, "/init_dump", "init_dump.json"),
        new(AdminEndpoint.Ready, "/ready", "ready.txt"),
    ]);

    /// <summary>Only these top-level fields of the config dump (one config type's fields: Envoy skips configs a mask does not fit), plus <paramref name="extra"/>.</summary>
    public static CapturePlan ConfigMask(IEnumerable<string> fields, params CaptureItem[] extra) =>
        new([new(AdminEndpoint.ConfigDump, AdminAllowlist.Build("/config_dump", ("mask", string.Join(',', fields))), "config_dump.json"), .. extra]);

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
    public static CapturePlan EndpointsOnly { get; } = new([new(AdminEndpoint.ConfigDump, "/config_dump?include_eds", "config_dump.json"), Clusters]);
}
