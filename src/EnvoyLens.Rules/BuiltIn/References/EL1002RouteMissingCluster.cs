using EnvoyLens.Core;
using EnvoyLens.Model;
using EnvoyLens.Rules.Engine;

namespace EnvoyLens.Rules.BuiltIn.References;

/// <summary>EL1002: a route (or one of its weighted clusters) sends traffic to a cluster that does not exist.</summary>
internal sealed class EL1002RouteMissingCluster : IRule
{
    public static RuleDescriptor Definition { get; } = new(
        "EL1002",
        "Route targets a cluster that does not exist",
        RuleCategory.References,
        Severity.Error,
        "Route {route} of virtual host {virtual_host} in {route_config} sends traffic to cluster '{cluster}', which does not exist",
        "Requests that match the route fail with 503 and response flag NC (no cluster); with weighted clusters only that share fails, which looks like intermittent errors.",
        "Create the cluster (for Istio: the Service or ServiceEntry, and the DestinationRule subset for subset clusters) or fix the route's destination.",
        RuleInputs.ConfigDump)
    {
        Example = "Route prefix '/api' of virtual host web in web sends traffic to cluster 'api-canary', which does not exist",
    };

    public RuleDescriptor Descriptor => Definition;

    public Applicability AppliesTo(RuleContext context) =>
        !Walk.RouteConfigs(context.Snapshot).Any() ? Applicability.No("the capture holds no route configurations")
        : Applicability.When(context.Snapshot.HasSection(ConfigSection.Clusters), "the config dump holds no clusters section, so cluster references cannot be checked");

    public IEnumerable<Finding> Check(RuleContext context)
    {
        foreach (var site in Walk.RouteConfigs(context.Snapshot))
        {
            foreach (var vhost in site.Config.VirtualHosts)
            {
                foreach (var route in vhost.Routes)
                {
                    var targets = route.ActionKind switch
                    {
                        RouteActionKind.Cluster when route.Cluster is not null => [route.Cluster],
                        RouteActionKind.WeightedClusters => route.WeightedClusters.Select(w => w.Name),
                        _ => [],
                    };
                    foreach (var cluster in targets.Distinct(StringComparer.Ordinal).Where(c => context.Snapshot.FindCluster(c) is null))
                    {
                        yield return context.Report(Definition, site.Resource, route.Pointer,
                            Args.Of(("route", Walk.Describe(route)), ("virtual_host", vhost.Name), ("route_config", site.Config.Name), ("cluster", cluster)),
                            Args.Of([("action", route.ActionKind.ToString()), .. Walk.Istio(cluster, route.Metadata)]));
                    }
                }
            }
        }
    }
}
