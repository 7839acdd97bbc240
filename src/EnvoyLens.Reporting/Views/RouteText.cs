using System.Text;
using EnvoyLens.Model;

namespace EnvoyLens.Reporting.Views;

/// <summary>How istioctl describes route matches and virtual host domains.</summary>
internal static class RouteText
{
    /// <summary><c>/get*</c> for a prefix, <c>PathPrefix:/get</c>, the exact path, <c>regex R</c>; headers are ignored.</summary>
    public static string DescribeMatch(RouteMatch match)
    {
        if (string.IsNullOrEmpty(match.Value))
        {
            return "";
        }

        return match.Kind switch
        {
            PathMatchKind.Prefix => match.Value + "*",
            PathMatchKind.PathSeparatedPrefix => "PathPrefix:" + match.Value,
            PathMatchKind.Path => match.Value,
            PathMatchKind.SafeRegex => "regex " + match.Value,
            _ => "",
        };
    }

    /// <summary>
    /// The domains of a virtual host as istioctl's routes table shows them: one domain as is; otherwise the
    /// domains without a port (IPv6 literals kept), minus <c>.svc.cluster.local</c> / <c>.svc</c> expansions of
    /// a shorter one, the first two then <c>+ N more...</c>.
    /// </summary>
    public static string DescribeDomains(IReadOnlyList<string> domains)
    {
        if (domains.Count == 0)
        {
            return "";
        }

        if (domains.Count == 1)
        {
            return domains[0];
        }

        var withoutPort = new List<string>();
        foreach (var d in domains)
        {
            if (!d.Contains(':', StringComparison.Ordinal))
            {
                withoutPort.Add(d);
            }
            else if (d.Count(c => c == ':') > 2 && d.EndsWith(']'))
            {
                withoutPort.Add(d);
            }
        }

        var unique = new HashSet<string>(withoutPort, StringComparer.Ordinal);
        var kept = withoutPort.Where(h =>
        {
            var full = h.EndsWith(".svc.cluster.local", StringComparison.Ordinal) ? h[..^".svc.cluster.local".Length] : h;
            var partial = h.EndsWith(".svc", StringComparison.Ordinal) ? h[..^".svc".Length] : h;
            return !((full != h && unique.Contains(full)) || (partial != h && unique.Contains(partial)));
        }).ToList();

        const int max = 2;
        return kept.Count > max
            ? string.Join(", ", kept.Take(max)) + $" + {kept.Count - max} more..."
            : string.Join(", ", kept);
    }

    /// <summary>
    /// istioctl's match-all rule: one virtual host for <c>*</c> with one route, prefix <c>/</c>, to one cluster, reads
    /// as that cluster (<c>Cluster: NAME</c>, or the name alone when it already says "Cluster"); null otherwise.
    /// </summary>
    internal static string? MatchAllCluster(RouteConfig config)
    {
        if (config.VirtualHosts is not [{ Domains: ["*"], Routes: [var route] }])
        {
            return null;
        }

        if (route.Match is not { Kind: PathMatchKind.Prefix, Value: "/" } || route.ActionKind != RouteActionKind.Cluster || route.Cluster is not { } cluster)
        {
            return null;
        }

        return cluster.Contains("Cluster", StringComparison.Ordinal) ? cluster : "Cluster: " + cluster;
    }

    /// <summary>An inline route configuration in the listeners table: <c>Inline Route: dom1/dom2 /a*, /b; /c*</c>.</summary>
    public static string DescribeInlineRouteConfig(RouteConfig config)
    {
        if (MatchAllCluster(config) is { } cluster)
        {
            return cluster;
        }

        var vhosts = config.VirtualHosts.Select(vh =>
        {
            var domains = vh.Domains is ["*"] ? "" : string.Join("/", vh.Domains);
            var routes = string.Join(", ", vh.Routes.Select(r => DescribeMatch(r.Match)));
            return domains.Length == 0 ? routes : domains + " " + routes;
        });
        return new StringBuilder("Inline Route: ").AppendJoin("; ", vhosts).ToString();
    }

    /// <summary>Where a route sends requests, for the wide routes table; null when it sends them nowhere.</summary>
    public static string? DescribeTarget(Route route) => route.ActionKind switch
    {
        RouteActionKind.Cluster => route.Cluster,
        RouteActionKind.WeightedClusters => string.Join(",", route.WeightedClusters.Select(w =>
            w.Name + ":" + w.Weight.ToString(System.Globalization.CultureInfo.InvariantCulture))),
        RouteActionKind.ClusterHeader => "header:" + route.ClusterHeader,
        RouteActionKind.ClusterSpecifierPlugin or RouteActionKind.InlineClusterSpecifierPlugin => route.ClusterSpecifierPlugin,
        RouteActionKind.Redirect => route.RedirectTarget,
        _ => null,
    };

    /// <summary>The kind of a route's action, for the wide routes table.</summary>
    public static string DescribeAction(Route route) => route.ActionKind switch
    {
        RouteActionKind.Cluster or RouteActionKind.WeightedClusters or RouteActionKind.ClusterHeader
            or RouteActionKind.ClusterSpecifierPlugin or RouteActionKind.InlineClusterSpecifierPlugin => "Route",
        RouteActionKind.DirectResponse => route.DirectResponseStatus is { } status
            ? "DirectResponse " + status.ToString(System.Globalization.CultureInfo.InvariantCulture)
            : "DirectResponse",
        _ => route.ActionKind.ToString(),
    };
}
