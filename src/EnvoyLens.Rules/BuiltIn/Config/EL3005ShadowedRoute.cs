using EnvoyLens.Core;
using EnvoyLens.Model;
using EnvoyLens.Rules.Engine;

namespace EnvoyLens.Rules.BuiltIn.Config;

/// <summary>EL3005: a route that can never match because an earlier route of its virtual host matches everything it would.</summary>
internal sealed class EL3005ShadowedRoute : IRule
{
    public static RuleDescriptor Definition { get; } = new(
        "EL3005",
        "Route shadowed by an earlier route",
        RuleCategory.Config,
        Severity.Warning,
        "Route {route} of virtual host {virtual_host} in {route_config} is unreachable: earlier route {shadowed_by} matches every request it would",
        "Envoy takes the first route that matches, in order; a broader route first (prefix '/' at the top, say) silently takes the traffic of every later one it covers.",
        "Order routes from most to least specific, or narrow the earlier route; for Istio reorder the http[] entries of the VirtualService (and merge VirtualServices for the same host with care: their order is not guaranteed).",
        RuleInputs.ConfigDump)
    {
        Example = "Route prefix '/api' of virtual host web in web is unreachable: earlier route prefix '/' matches every request it would",
    };

    public RuleDescriptor Descriptor => Definition;

    public Applicability AppliesTo(RuleContext context) =>
        Applicability.When(Walk.RouteConfigs(context.Snapshot).SelectMany(r => r.Config.VirtualHosts).Any(v => v.Routes.Count > 1), "no virtual host has more than one route");

    public IEnumerable<Finding> Check(RuleContext context)
    {
        foreach (var site in Walk.RouteConfigs(context.Snapshot))
        {
            foreach (var vhost in site.Config.VirtualHosts)
            {
                for (var j = 1; j < vhost.Routes.Count; j++)
                {
                    var later = vhost.Routes[j];
                    var earlier = vhost.Routes.Take(j).FirstOrDefault(e => Covers(e.Match, later.Match));
                    if (earlier is not null)
                    {
                        yield return context.Report(Definition, site.Resource, later.Pointer,
                            Args.Of(("route", Walk.Describe(later)), ("virtual_host", vhost.Name), ("route_config", site.Config.Name), ("shadowed_by", Walk.Describe(earlier))),
                            Args.Of([("shadowed_by_pointer", earlier.Pointer.Value), .. RouteRules.Evidence(later)]));
                    }
                }
            }
        }
    }

    /// <summary>True when every request <paramref name="b"/> matches is also matched by <paramref name="a"/>.</summary>
    internal static bool Covers(RouteMatch a, RouteMatch b)
    {
        // Extra conditions on the earlier route narrow it: it no longer covers the later one for sure.
        if (a.Headers.Count > 0 || a.QueryParameters.Count > 0 || (a.GrpcOnly && !b.GrpcOnly) || a.Value is null)
        {
            return false;
        }

        // A case-sensitive earlier route does not cover a case-insensitive later one.
        if (a.CaseSensitive && !b.CaseSensitive)
        {
            return false;
        }

        var cmp = a.CaseSensitive ? StringComparison.Ordinal : StringComparison.OrdinalIgnoreCase;
        return a.Kind switch
        {
            // Every path starts with '/', so an empty or '/' prefix covers any path match, regex included.
            PathMatchKind.Prefix when a.Value is "" or "/" => b.Kind is PathMatchKind.Prefix or PathMatchKind.Path or PathMatchKind.SafeRegex or PathMatchKind.PathSeparatedPrefix
                && (b.Kind == PathMatchKind.SafeRegex || (b.Value ?? "").StartsWith(a.Value, cmp) || (a.Value == "" && b.Value is not null)),
            PathMatchKind.Prefix => b.Kind is PathMatchKind.Prefix or PathMatchKind.Path or PathMatchKind.PathSeparatedPrefix && b.Value is not null && b.Value.StartsWith(a.Value, cmp),
            PathMatchKind.Path => b.Kind == PathMatchKind.Path && string.Equals(a.Value, b.Value, cmp),
            PathMatchKind.PathSeparatedPrefix => b.Kind is PathMatchKind.Path or PathMatchKind.PathSeparatedPrefix && b.Value is not null
                && (string.Equals(b.Value, a.Value, cmp) || b.Value.StartsWith(a.Value.TrimEnd('/') + "/", cmp)),
            _ => false,
        };
    }
}
