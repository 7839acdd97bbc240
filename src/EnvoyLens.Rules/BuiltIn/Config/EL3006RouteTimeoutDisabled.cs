using EnvoyLens.Core;
using EnvoyLens.Model;
using EnvoyLens.Rules.Engine;

namespace EnvoyLens.Rules.BuiltIn.Config;

/// <summary>EL3006: a forwarding route with its timeout disabled (<c>0s</c>) and no idle timeout, on a route that is not gRPC-only.</summary>
internal sealed class EL3006RouteTimeoutDisabled : IRule
{
    public static RuleDescriptor Definition { get; } = new(
        "EL3006",
        "Route timeout disabled on a non-streaming route",
        RuleCategory.Config,
        Severity.Info,
        "Route {route} of virtual host {virtual_host} in {route_config} has its timeout disabled (0s) and no idle timeout",
        "With timeout 0s a request to a hung upstream waits forever, holding a connection and a request slot; only streaming routes (gRPC streams, WebSocket, long polling) need that, and those are better served by an idle timeout. Istio writes 0s unless a VirtualService sets a timeout.",
        "Set a route timeout (for Istio: spec.http[].timeout in the VirtualService), or for a streaming route set idle_timeout so dead streams are closed.",
        RuleInputs.ConfigDump)
    {
        Example = "Route prefix '/' of virtual host web in web has its timeout disabled (0s) and no idle timeout",
    };

    public RuleDescriptor Descriptor => Definition;

    public Applicability AppliesTo(RuleContext context) =>
        Applicability.When(RouteRules.Forwarding(context.Snapshot).Any(), "the capture holds no routes that forward to a cluster");

    public IEnumerable<Finding> Check(RuleContext context)
    {
        foreach (var (site, vhost, route) in RouteRules.Forwarding(context.Snapshot))
        {
            if (route.Timeout != TimeSpan.Zero || route.IdleTimeout is not null || route.Match.GrpcOnly)
            {
                continue;
            }

            yield return context.Report(Definition, site.Resource, route.Pointer,
                Args.Of(("route", Walk.Describe(route)), ("virtual_host", vhost.Name), ("route_config", site.Config.Name)),
                Args.Of(RouteRules.Evidence(route)));
        }
    }
}

/// <summary>Walks shared by the route timeout and retry rules.</summary>
internal static class RouteRules
{
    /// <summary>Envoy's route timeout when none is set.</summary>
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(15);

    /// <summary>Routes that forward to a cluster (not redirects or direct responses), with where they sit.</summary>
    public static IEnumerable<(RouteConfigSite Site, VirtualHost VirtualHost, Route Route)> Forwarding(EnvoySnapshot snapshot) =>
        from site in Walk.RouteConfigs(snapshot)
        from vhost in site.Config.VirtualHosts
        from route in vhost.Routes
        where route.ActionKind is RouteActionKind.Cluster or RouteActionKind.WeightedClusters or RouteActionKind.ClusterHeader
            or RouteActionKind.ClusterSpecifierPlugin or RouteActionKind.InlineClusterSpecifierPlugin
        select (site, vhost, route);

    /// <summary>The route's destination and, for Istio, the service and the VirtualService that wrote it.</summary>
    public static (string Name, string Value)[] Evidence(Route route)
    {
        var items = new List<(string Name, string Value)>();
        var target = route.Cluster ?? (route.WeightedClusters.Count == 1 ? route.WeightedClusters[0].Name : null);
        if (route.Cluster is not null)
        {
            items.Add(("cluster", route.Cluster));
        }
        else if (route.WeightedClusters.Count > 0)
        {
            items.Add(("clusters", string.Join(", ", route.WeightedClusters.Select(w => w.Name))));
        }

        items.AddRange(Walk.Istio(target ?? "", route.Metadata));
        return [.. items];
    }
}
