using EnvoyLens.Core;
using EnvoyLens.Model;
using AdminV3 = Envoy.Admin.V3;
using ClusterV3 = Envoy.Config.Cluster.V3;

namespace EnvoyLens.Decoding.Normalize.Sections;

/// <summary><c>ClustersConfigDump</c>: static clusters, then the dynamic active and the dynamic warming ones.</summary>
internal sealed class ClusterSection() : ResourceSection<AdminV3.ClustersConfigDump, ClusterV3.Cluster>(ResourceKind.Cluster, r => r.Name, n => new() { Name = n })
{
    public static ClusterSection Instance { get; } = new();

    public override IEnumerable<SectionEntry> Entries(AdminV3.ClustersConfigDump dump, JsonPointer at, NormalizeContext context) =>
        dump.StaticClusters.Select((e, i) => Static(e.Cluster, at.Append("static_clusters").Append(i), "cluster", e.LastUpdated))
            .Concat(DynamicEntries(dump.DynamicActiveClusters, at.Append("dynamic_active_clusters"), ResourceState.Active))
            .Concat(DynamicEntries(dump.DynamicWarmingClusters, at.Append("dynamic_warming_clusters"), ResourceState.Warming));

    private static IEnumerable<SectionEntry> DynamicEntries(IEnumerable<AdminV3.ClustersConfigDump.Types.DynamicCluster> entries, JsonPointer at, ResourceState state) =>
        entries.Select((e, i) => Dynamic(e.Cluster, at.Append(i), "cluster", state, e.VersionInfo, e.LastUpdated, e.ErrorState, e.ClientStatus));
}
