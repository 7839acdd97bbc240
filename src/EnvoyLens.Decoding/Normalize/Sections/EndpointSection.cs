using EnvoyLens.Core;
using EnvoyLens.Model;
using AdminV3 = Envoy.Admin.V3;
using EndpointV3 = Envoy.Config.Endpoint.V3;

namespace EnvoyLens.Decoding.Normalize.Sections;

/// <summary><c>EndpointsConfigDump</c>: static endpoint configurations, then the dynamic ones (EDS).</summary>
internal sealed class EndpointSection() : ResourceSection<AdminV3.EndpointsConfigDump, EndpointV3.ClusterLoadAssignment>(ResourceKind.Endpoint, r => r.ClusterName, n => new() { ClusterName = n })
{
    public static EndpointSection Instance { get; } = new();

    public override IReadOnlyList<DynamicField<AdminV3.EndpointsConfigDump>> DynamicFields { get; } =
    [
        Field<AdminV3.EndpointsConfigDump.Types.DynamicEndpointConfig>("dynamic_endpoint_configs", d => d.DynamicEndpointConfigs, (e, at, _) =>
            [Dynamic(e.EndpointConfig, at, "endpoint_config", ResourceState.Active, e.VersionInfo, e.LastUpdated, e.ErrorState, e.ClientStatus)]),
    ];

    protected override IEnumerable<SectionEntry> StaticEntries(AdminV3.EndpointsConfigDump dump, JsonPointer at, NormalizeContext context) =>
        dump.StaticEndpointConfigs.Select((e, i) => Static(e.EndpointConfig, at.Append("static_endpoint_configs").Append(i), "endpoint_config", e.LastUpdated));
}
