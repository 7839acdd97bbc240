using EnvoyLens.Core;
using EnvoyLens.Model;
using AdminV3 = Envoy.Admin.V3;
using ClusterV3 = Envoy.Config.Cluster.V3;

namespace EnvoyLens.Decoding.Normalize.Sections;

/// <summary><c>ClustersConfigDump</c>: static clusters, then the dynamic active and the dynamic warming ones.</summary>
internal sealed class ClusterSection() : ResourceSection<AdminV3.ClustersConfigDump, ClusterV3.Cluster>(ResourceKind.Cluster, r => r.Name, n => new() { Name = n })
{
    public static ClusterSection Instance { get; } = new();

    public override IReadOnlyList<DynamicField<AdminV3.ClustersConfigDump>> DynamicFields { get; } =
    [
        Field<AdminV3.ClustersConfigDump.Types.DynamicCluster>("dynamic_active_clusters", d => d.DynamicActiveClusters, (e, at, _) => [DynamicEntry(e, at, ResourceState.Active)]),
        Field<AdminV3.ClustersConfigDump.Types.DynamicCluster>("dynamic_warming_clusters", d => d.DynamicWarmingClusters, (e, at, _) => [DynamicEntry(e, at, ResourceState.Warming)]),
    ];

    protected override IEnumerable<SectionEntry> StaticEntries(AdminV3.ClustersConfigDump dump, JsonPointer at, NormalizeContext context) =>
        dump.StaticClusters.Select((e, i) => Static(e.Cluster, at.Append("static_clusters").Append(i), "cluster", e.LastUpdated));

    private static SectionEntry DynamicEntry(AdminV3.ClustersConfigDump.Types.DynamicCluster e, JsonPointer at, ResourceState state) =>
        Dynamic(e.Cluster, at, "cluster", state, e.VersionInfo, e.LastUpdated, e.ErrorState, e.ClientStatus);
}
