using EnvoyLens.Core;
using EnvoyLens.Model;
using EnvoyLens.Reporting.Tables;

namespace EnvoyLens.Reporting.Views;

/// <summary>
/// A short summary of who the proxy is and how it was bootstrapped; "-" where the capture does not say. It opens with
/// what istioctl's bootstrap summary prints: Istio Version (node metadata <c>ISTIO_VERSION</c>), Istio Proxy Version
/// (<c>ISTIO_PROXY_SHA</c> after its <c>NAME:</c> prefix) and Envoy Version, the node's whole
/// <c>user_agent_build_version</c> (<c>1.18.3/Clean/RELEASE/BoringSSL</c>), <c>0.0.0</c> when the node gives none, as
/// istioctl prints it. Server Info Version is what <c>/server_info</c> says is running. No label is longer than
/// istioctl's, so the three lines align as istioctl aligns them.
/// </summary>
public static class BootstrapView
{
    public static readonly IReadOnlyList<Column> Columns =
    [
        new("Istio Version", "istioVersion"),
        new("Istio Proxy Version", "istioProxyVersion"),
        new("Envoy Version", "envoyVersion"),
        new("Node ID", "nodeId"),
        new("Cluster", "cluster"),
        new("Namespace", "namespace"),
        new("Service Account", "serviceAccount"),
        new("Server Info Version", "serverInfoVersion"),
        new("Admin Address", "adminAddress"),
        new("ADS Cluster", "adsCluster"),
        new("ADS API Type", "adsApiType"),
        new("Static Listeners", "staticListeners"),
        new("Static Clusters", "staticClusters"),
        new("Static Secrets", "staticSecrets"),
    ];

    public static Table Build(EnvoySnapshot snapshot)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        var node = snapshot.Node;
        var boot = snapshot.Bootstrap;
        var ads = boot?.AdsGrpcClusters ?? [];
        IReadOnlyList<Cell> row =
        [
            Cell.Of(node?.IstioVersion, "-"),
            Cell.Of(IstioProxyVersion(node), "-"),
            Cell.Of(EnvoyVersion(node), "-"),
            Cell.Of(node?.Id, "-"),
            Cell.Of(node?.Cluster, "-"),
            Cell.Of(node?.Namespace, "-"),
            Cell.Of(node?.ServiceAccount, "-"),
            Cell.Of(snapshot.ServerInfo?.Version, "-"),
            Cell.Of(boot?.AdminAddress?.ToString(), "-"),
            ads.Count == 0 ? Cell.Of(null, "-") : Cell.List(string.Join(",", ads), ads),
            Cell.Of(boot?.AdsApiType, "-"),
            Cell.Number(boot?.StaticListenerCount),
            Cell.Number(boot?.StaticClusterCount),
            Cell.Number(boot?.StaticSecretCount),
        ];
        return new Table("bootstrap", "Bootstrap", Columns, [row], Layout: TableLayout.KeyValue)
        {
            Sources = boot is null ? [] : [new RowSource(ResourceKind.Bootstrap, "bootstrap", boot.Pointer)],
        };
    }

    /// <summary><c>ISTIO_PROXY_SHA</c> without its <c>istio-proxy:</c> prefix, as istioctl shows it.</summary>
    internal static string? IstioProxyVersion(NodeInfo? node)
    {
        var sha = node?.MetadataString("ISTIO_PROXY_SHA");
        if (sha is null)
        {
            return null;
        }

        var parts = sha.Split(':');
        return parts.Length > 1 ? parts[1] : sha;
    }

    /// <summary>The node's build version string; <c>0.0.0</c> for a node that gives none (istioctl's reading of an absent one).</summary>
    internal static string? EnvoyVersion(NodeInfo? node) =>
        node is null ? null : node.BuildVersion ?? node.UserAgentVersion ?? "0.0.0";
}
