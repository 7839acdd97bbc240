using EnvoyLens.Core;
using EnvoyLens.Rules.Engine;

namespace EnvoyLens.Rules.BuiltIn.Stats;

/// <summary>EL5005: requests failed for want of a route (NR), a cluster (NC) or a healthy host (UH).</summary>
internal sealed class EL5005RequestsWithoutRouteOrHost : IRule
{
    public static RuleDescriptor Definition { get; } = new(
        "EL5005",
        "Requests without a route, cluster or healthy host",
        RuleCategory.Stats,
        Severity.Warning,
        "{scope} {owner} answered requests with 404/503 {period}: {counters}",
        "no_route (response flag NR) counts requests no virtual host or route matched, no_cluster (NC) requests whose route named a cluster that does not exist, upstream_cx_none_healthy (UH) requests for a cluster with no healthy host. Each is a request the application never saw.",
        "For NR check the Host header against the virtual hosts' domains and the route matches (envoylens config routes); for NC the missing cluster (EL1002); for UH the cluster's endpoints and health (EL1004, EL1005).",
        RuleInputs.Stats | RuleInputs.ConfigDump)
    {
        OptionalInputs = RuleInputs.Clusters,
        Example = "HTTP connection manager ingress_http answered requests with 404/503 since the proxy started: no_route 5",
    };

    public RuleDescriptor Descriptor => Definition;

    public Applicability AppliesTo(RuleContext context) => StatsRule.AppliesTo(context);

    public IEnumerable<Finding> Check(RuleContext context)
    {
        var names = StatsNames.For(context);
        foreach (var (first, hits) in StatsRule.Counters(context, names,
                     (StatScope.Http, "no_route", "NR"),
                     (StatScope.Http, "no_cluster", "NC"),
                     (StatScope.Cluster, "upstream_cx_none_healthy", "UH")))
        {
            yield return StatsRule.Report(context, names, Definition, first,
                Args.Of(("scope", first.Scope == StatScope.Http ? "HTTP connection manager" : first.Scope.ToString()), ("owner", first.Owner),
                    ("period", hits[0].Reading.Period), ("counters", StatsRule.List(hits))),
                [("response_flags", string.Join(", ", hits.Select(h => h.Meaning).Distinct(StringComparer.Ordinal))), .. hits.Select(h => (h.Stat.Stat.Name, Walk.Number(h.Stat.Stat.Value ?? 0)))]);
        }
    }
}
