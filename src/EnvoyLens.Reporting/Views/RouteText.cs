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

    /// <summary>An inline route configuration in the listeners table: <c>Inline Route: dom1/dom2 /a*, /b; /c*</c>.</summary>
    public static string DescribeInlineRouteConfig(RouteConfig config)
    {
        var vhosts = config.VirtualHosts.Select(vh =>
        {
            var domains = vh.Domains is ["*"] ? "" : string.Join("/", vh.Domains);
            var routes = string.Join(", ", vh.Routes.Select(r => DescribeMatch(r.Match)));
            return domains.Length == 0 ? routes : domains + " " + routes;
        });
        return new StringBuilder("Inline Route: ").AppendJoin("; ", vhosts).ToString();
    }
}
