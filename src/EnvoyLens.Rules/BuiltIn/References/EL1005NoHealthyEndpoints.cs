using System.Globalization;
using EnvoyLens.Core;
using EnvoyLens.Rules.Engine;

namespace EnvoyLens.Rules.BuiltIn.References;

/// <summary>EL1005: a cluster has endpoints but none Envoy would send traffic to.</summary>
internal sealed class EL1005NoHealthyEndpoints : IRule
{
    public static RuleDescriptor Definition { get; } = new(
        "EL1005",
        "Cluster has endpoints but none healthy",
        RuleCategory.References,
        Severity.Error,
        "Cluster {cluster} has {endpoints} endpoint(s) and none is healthy ({problems})",
        "With no healthy host Envoy fails requests with 503 UH, or (above the panic threshold) spreads them over unhealthy hosts; either way the upstream is down from this proxy's point of view.",
        "Look at why the hosts are unhealthy: failing readiness or health checks, outlier ejections after 5xx (see /clusters), or draining pods during a rollout.",
        RuleInputs.ConfigDump)
    {
        OptionalInputs = RuleInputs.Clusters,
        Example = "Cluster api has 2 endpoint(s) and none is healthy (1 DRAINING, 1 UNHEALTHY)",
    };

    public RuleDescriptor Descriptor => Definition;

    public Applicability AppliesTo(RuleContext context) =>
        Applicability.When(context.Snapshot.Clusters.Any(c => context.EndpointsOf(c).Any()), "no cluster has known endpoints");

    public IEnumerable<Finding> Check(RuleContext context)
    {
        foreach (var cluster in context.Snapshot.Clusters)
        {
            var hosts = Walk.Hosts(context, cluster);
            if (hosts.Count == 0 || hosts.Any(h => h.Usable))
            {
                continue;
            }

            var problems = string.Join(", ", hosts.GroupBy(h => h.Problem, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal)
                .Select(g => string.Create(CultureInfo.InvariantCulture, $"{g.Count()} {g.Key}")));
            yield return context.Report(Definition, cluster.Meta.Ref, cluster.Meta.Pointer,
                Args.Of(("cluster", cluster.Name), ("endpoints", hosts.Count.ToString(CultureInfo.InvariantCulture)), ("problems", problems)),
                Args.Of([.. hosts.Select(h => (h.Address, h.Problem)), .. Walk.Istio(cluster.Name, cluster.Metadata)]));
        }
    }
}
