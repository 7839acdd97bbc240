using EnvoyLens.Core;
using EnvoyLens.Model;
using AdminV3 = Envoy.Admin.V3;
using RouteV3 = Envoy.Config.Route.V3;

namespace EnvoyLens.Decoding.Normalize.Sections;

/// <summary><c>RoutesConfigDump</c>: static route configurations, then the dynamic ones (RDS).</summary>
internal sealed class RouteSection() : ResourceSection<AdminV3.RoutesConfigDump, RouteV3.RouteConfiguration>(ResourceKind.RouteConfig, r => r.Name, n => new() { Name = n })
{
    public static RouteSection Instance { get; } = new();

    public override IReadOnlyList<DynamicField<AdminV3.RoutesConfigDump>> DynamicFields { get; } =
    [
        Field<AdminV3.RoutesConfigDump.Types.DynamicRouteConfig>("dynamic_route_configs", d => d.DynamicRouteConfigs, (e, at, _) =>
            [Dynamic(e.RouteConfig, at, "route_config", ResourceState.Active, e.VersionInfo, e.LastUpdated, e.ErrorState, e.ClientStatus)]),
    ];

    protected override IEnumerable<SectionEntry> StaticEntries(AdminV3.RoutesConfigDump dump, JsonPointer at, NormalizeContext context) =>
        dump.StaticRouteConfigs.Select((e, i) => Static(e.RouteConfig, at.Append("static_route_configs").Append(i), "route_config", e.LastUpdated));
}
