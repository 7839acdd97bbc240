using EnvoyLens.Core;
using EnvoyLens.Rules.Engine;

namespace EnvoyLens.Rules.BuiltIn.Stats;

/// <summary>EL5001: connections to a cluster's hosts failed or timed out (response flag UF).</summary>
internal sealed class EL5001UpstreamConnectFailures : IRule
{
    public static RuleDescriptor Definition { get; } = new(
        "EL5001",
        "Upstream connection failures",
        RuleCategory.Stats,
        Severity.Warning,
        "Cluster {cluster} failed to connect to its hosts {period}: {counters}",
        "Each failed connect is a request that waited for connect_timeout or was refused; users see 503 with response flag UF (upstream connection failure) once retries are used up.",
        "Check that the endpoints listen on the port the cluster uses (for Istio: the Service targetPort and the container port), that NetworkPolicies allow it, and that connect_timeout is not too low (EL3105).",
        RuleInputs.Stats | RuleInputs.ConfigDump)
    {
        OptionalInputs = RuleInputs.Clusters,
        Example = "Cluster outbound|9080||api.default.svc.cluster.local failed to connect to its hosts since the proxy started: upstream_cx_connect_fail 7, upstream_cx_connect_timeout 2",
    };

    public RuleDescriptor Descriptor => Definition;

    public Applicability AppliesTo(RuleContext context) => StatsRule.AppliesTo(context);

    public IEnumerable<Finding> Check(RuleContext context)
    {
        var names = StatsNames.For(context);
        foreach (var (first, hits) in StatsRule.Counters(context, names,
                     (StatScope.Cluster, "upstream_cx_connect_fail", "UF"),
                     (StatScope.Cluster, "upstream_cx_connect_timeout", "UF")))
        {
            yield return StatsRule.Report(context, names, Definition, first,
                Args.Of(("cluster", first.Owner), ("period", hits[0].Reading.Period), ("counters", StatsRule.List(hits))),
                [("response_flag", "UF"), .. hits.Select(h => (h.Stat.Stat.Name, Walk.Number(h.Stat.Stat.Value ?? 0)))]);
        }
    }
}
