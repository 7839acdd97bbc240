using EnvoyLens.Model;
using EnvoyLens.Reporting.Tables;

namespace EnvoyLens.Reporting.Views;

/// <summary>A short summary of who the proxy is and how it was bootstrapped; "-" where the capture does not say.</summary>
public static class BootstrapView
{
    public static readonly IReadOnlyList<Column> Columns =
    [
        new("Node ID", "nodeId"),
        new("Cluster", "cluster"),
        new("Namespace", "namespace"),
        new("Service Account", "serviceAccount"),
        new("Istio Version", "istioVersion"),
        new("Envoy Version", "envoyVersion"),
        new("Admin Address", "adminAddress"),
        new("ADS Cluster", "adsCluster"),
        new("ADS API Type", "adsApiType"),
        new("Static Listeners", "staticListeners"),
        new("Static Clusters", "staticClusters"),
        new("Static Secrets", "staticSecrets"),
    ];

    public static Table Build(EnvoySnapshot snapshot)
    {
        var node = snapshot.Node;
        var boot = snapshot.Bootstrap;
        var ads = boot?.AdsGrpcClusters ?? [];
        IReadOnlyList<Cell> row =
        [
            Cell.Of(node?.Id, "-"),
            Cell.Of(node?.Cluster, "-"),
            Cell.Of(node?.Namespace, "-"),
            Cell.Of(node?.ServiceAccount, "-"),
            Cell.Of(node?.IstioVersion, "-"),
            Cell.Of(snapshot.ServerInfo?.Version ?? node?.UserAgentVersion, "-"),
            Cell.Of(boot?.AdminAddress?.ToString(), "-"),
            ads.Count == 0 ? Cell.Of(null, "-") : Cell.List(string.Join(",", ads), ads),
            Cell.Of(boot?.AdsApiType, "-"),
            Cell.Number(boot?.StaticListenerCount),
            Cell.Number(boot?.StaticClusterCount),
            Cell.Number(boot?.StaticSecretCount),
        ];
        return new Table("bootstrap", "Bootstrap", Columns, [row], Layout: TableLayout.KeyValue);
    }
}
