using EnvoyLens.Core;
using EnvoyLens.Rules.Engine;

namespace EnvoyLens.Rules.BuiltIn.Stats;

/// <summary>EL5003: circuit breakers tripped: requests or connections refused locally (response flag UO).</summary>
internal sealed class EL5003CircuitBreakingObserved : IRule
{
    public static RuleDescriptor Definition { get; } = new(
        "EL5003",
        "Circuit breaking observed",
        RuleCategory.Stats,
        Severity.Warning,
        "Cluster {cluster} hit its circuit breakers {period}: {counters}",
        "An overflow is a request Envoy refused itself (503 UO) or a retry it did not make because a threshold (max connections, pending requests, requests, retries) was reached; the upstream never saw it.",
        "Raise the thresholds to the cluster's real concurrency (Envoy circuit_breakers; Istio DestinationRule connectionPool) or find why requests pile up (a slow upstream: see its latency and EL5001).",
        RuleInputs.Stats | RuleInputs.ConfigDump)
    {
        OptionalInputs = RuleInputs.Clusters,
        Example = "Cluster outbound|9080||api.default.svc.cluster.local hit its circuit breakers since the proxy started: upstream_rq_pending_overflow 12",
    };

    public RuleDescriptor Descriptor => Definition;

    public Applicability AppliesTo(RuleContext context) => StatsRule.AppliesTo(context);

    public IEnumerable<Finding> Check(RuleContext context)
    {
        var names = StatsNames.For(context);
        foreach (var (first, hits) in StatsRule.Counters(context, names,
                     (StatScope.Cluster, "upstream_rq_pending_overflow", "UO"),
                     (StatScope.Cluster, "upstream_cx_overflow", "UO"),
                     (StatScope.Cluster, "upstream_rq_retry_overflow", "URX")))
        {
            yield return StatsRule.Report(context, names, Definition, first,
                Args.Of(("cluster", first.Owner), ("period", hits[0].Reading.Period), ("counters", StatsRule.List(hits))),
                [("response_flags", string.Join(", ", hits.Select(h => h.Meaning).Distinct(StringComparer.Ordinal))), .. hits.Select(h => (h.Stat.Stat.Name, Walk.Number(h.Stat.Stat.Value ?? 0)))]);
        }
    }
}
